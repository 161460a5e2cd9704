/**
 * src/lib/markdown.ts: untrusted markdown renders without raw HTML, without images and with http(s)/mailto
 * links only. Payloads follow the OWASP XSS filter evasion cheat sheet.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, renderInlineMarkdown, renderMarkdown } from '../../src/lib/markdown.ts';

const renderers = [
  ['renderMarkdown', renderMarkdown],
  ['renderInlineMarkdown', renderInlineMarkdown],
] as const;

/** The start tags actually emitted (escaped text such as `&lt;img` is not a tag). */
function tags(html: string): string[] {
  return html.match(/<[a-zA-Z][^>]*>/g) ?? [];
}

/** Every href of every emitted <a>, decoded the way a browser reads the attribute's text. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*href="([^"]*)"/gi)].map((m) =>
    m[1]!
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&'),
  );
}

/** What a browser does to a URL before looking at its scheme: strip tabs/newlines and leading controls/space. */
function browserScheme(href: string): string {
  const cleaned = href.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
  return /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase() ?? '';
}

const ALLOWED_TAGS = new Set([
  'p',
  'a',
  'em',
  'strong',
  'ul',
  'ol',
  'li',
  'code',
  'pre',
  'blockquote',
  'br',
  'hr',
  'del',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'input',
]);

function assertSafe(html: string, payload: string): void {
  const context = `payload ${JSON.stringify(payload)} → ${JSON.stringify(html)}`;
  assert.doesNotMatch(html, /<script/i, context);
  assert.doesNotMatch(html, /<img/i, context);
  assert.doesNotMatch(html, /<iframe/i, context);
  assert.doesNotMatch(html, /<svg/i, context);
  assert.doesNotMatch(html, /<(object|embed|style|link|meta|base|form|math|body|video|audio|source)\b/i, context);
  assert.doesNotMatch(html, /href\s*=\s*["']?\s*javascript:/i, context);
  for (const tag of tags(html)) {
    assert.doesNotMatch(tag, /\son\w+\s*=/i, `event handler attribute in ${tag}; ${context}`);
    assert.doesNotMatch(tag, /\s(style|src|srcdoc|formaction|action)\s*=/i, `attribute in ${tag}; ${context}`);
    const name = /^<([a-zA-Z0-9]+)/.exec(tag)![1]!.toLowerCase();
    assert.ok(ALLOWED_TAGS.has(name), `unexpected <${name}>; ${context}`);
  }
  for (const href of hrefs(html)) {
    assert.ok(['http', 'https', 'mailto'].includes(browserScheme(href)), `href ${JSON.stringify(href)}; ${context}`);
  }
}

// OWASP XSS filter evasion cheat sheet, adapted to markdown contexts (raw HTML, links, autolinks, images).
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<<SCRIPT>alert("XSS");//<</SCRIPT>',
  '<IMG SRC="javascript:alert(\'XSS\');">',
  "<IMG SRC=JaVaScRiPt:alert('XSS')>",
  '<IMG SRC=`javascript:alert("RSnake says, \'XSS\'")`>',
  '<img src=x onerror=alert(1)>',
  '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
  '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>',
  '<IMG SRC="jav\tascript:alert(\'XSS\');">',
  '<IMG SRC="jav&#x09;ascript:alert(\'XSS\');">',
  '<IMG SRC=" &#14;  javascript:alert(\'XSS\');">',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>">',
  '<svg onload=alert(1)>',
  '<svg/onload=alert(1)>',
  "<BODY ONLOAD=alert('XSS')>",
  '<a href="javascript:alert(1)">click</a>',
  '<a href="jav&#x0A;ascript:alert(1)">click</a>',
  '<div style="background-image: url(javascript:alert(1))">x</div>',
  "<STYLE>@import'https://xss.example/xss.css';</STYLE>",
  '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(1);">',
  '<object data="javascript:alert(1)"></object>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<details open ontoggle=alert(1)>',
  '<!--<img src=x onerror=alert(1)>-->',
  '<p>\n\n<img src=x onerror=alert(1)>\n\n</p>',
  '<div>\n*markdown* <img src=x onerror=alert(1)>\n</div>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](  javascript:alert(1))',
  '[click](<java\tscript:alert(1)>)',
  '[click](<java\nscript:alert(1)>)',
  '[click](java&#x09;script:alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1))',
  '[click](javascript&colon;alert(1))',
  '[click](javascript&#58;alert(1))',
  '[click](\\javascript:alert(1))',
  '[click](<javascript:alert(1)>)',
  '[click](javascript://%0Aalert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](DATA:text/html,<script>alert(1)</script>)',
  '[click](vbscript:msgbox(1))',
  '[click](VBScript:msgbox(1))',
  '[click](file:///etc/passwd)',
  '[click](//evil.example)',
  '[click][ref]\n\n[ref]: javascript:alert(1)',
  '[click][ref]\n\n[ref]: <data:text/html,x> "title"',
  '[click](https://example.org "title\\" onmouseover=\\"alert(1)")',
  '[click](https://example.org/"onmouseover="alert(1))',
  "[click](https://example.org/'onmouseover='alert(1))",
  '[<img src=x onerror=alert(1)>](https://example.org)',
  '[x](https://example.org)<img src=x onerror=alert(1)>',
  '<javascript:alert(1)>',
  '<JAVASCRIPT:alert(1)>',
  '<data:text/html,x>',
  '<vbscript:msgbox(1)>',
  '![x](javascript:alert(1))',
  '![x](https://evil.example/track.png)',
  '![x" onerror="alert(1)](https://evil.example/a.png)',
  '![x][img]\n\n[img]: https://evil.example/a.png',
  '[![x](https://evil.example/a.png)](https://example.org)',
  '`<script>alert(1)</script>`',
  '```html\n<script>alert(1)</script>\n```',
  '    <script>alert(1)</script>',
  '> <script>alert(1)</script>',
  '- <img src=x onerror=alert(1)>\n- [x](javascript:alert(1))',
  '| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |',
  '*<img src=x onerror=alert(1)>*',
  '**[x](javascript:alert(1))**',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '\u0000<script>alert(1)</script>',
];

describe('markdown XSS payloads', () => {
  it('the safety check itself catches unsafe output', () => {
    for (const unsafe of [
      '<p><script>alert(1)</script></p>',
      '<IMG src=x>',
      '<a href="JavaScript:alert(1)">x</a>',
      '<a href=" javascript:alert(1)">x</a>',
      '<a href="java&#x09;script:alert(1)">x</a>',
      '<a href="data:text/html,x">x</a>',
      '<p onclick="x()">x</p>',
      '<a href="https://example.org" onmouseover="x()">x</a>',
      '<marquee>x</marquee>',
    ]) {
      assert.throws(() => assertSafe(unsafe, 'self-test'), assert.AssertionError, unsafe);
    }
    assert.doesNotThrow(() =>
      assertSafe('<p>&lt;img src=x onerror=alert(1)&gt; <a href="https://example.org" rel="noopener">x</a></p>', 'self-test'),
    );
  });

  for (const [name, render] of renderers) {
    it(`${name} emits no script, image, frame, event handler or unsafe link for ${PAYLOADS.length} payloads`, () => {
      for (const payload of PAYLOADS) assertSafe(render(payload), payload);
    });
  }
});

describe('raw HTML is shown as text', () => {
  for (const [name, render] of renderers) {
    it(`${name} escapes script, img, iframe and svg`, () => {
      assert.ok(render('<script>alert(1)</script>').includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
      assert.ok(render('x <img src=x onerror=alert(1)> y').includes('&lt;img src=x onerror=alert(1)&gt;'));
      assert.ok(render('<iframe src="https://evil.example"></iframe>').includes('&lt;iframe src=&quot;https://evil.example&quot;&gt;'));
      assert.ok(render('<svg onload=alert(1)>').includes('&lt;svg onload=alert(1)&gt;'));
    });
  }

  it('escapes raw HTML between markdown blocks and keeps the markdown around it', () => {
    const html = renderMarkdown('Before *em*\n\n<div onclick="x()">inside</div>\n\nAfter **strong**');
    assert.ok(html.includes('<em>em</em>'));
    assert.ok(html.includes('&lt;div onclick=&quot;x()&quot;&gt;inside&lt;/div&gt;'));
    assert.ok(html.includes('<strong>strong</strong>'));
  });
});

describe('links', () => {
  const dropped = [
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'JAVASCRIPT:alert(1)',
    '&#106;avascript:alert(1)',
    'java&#x09;script:alert(1)',
    '<java\tscript:alert(1)>',
    'data:text/html;base64,PHNjcmlwdD4=',
    'Data:text/html,x',
    'vbscript:msgbox(1)',
    'VbScRiPt:msgbox(1)',
  ];
  for (const [name, render] of renderers) {
    it(`${name} keeps only the text of javascript:, data: and vbscript: links`, () => {
      for (const href of dropped) {
        const html = render(`see [the text](${href}) here`);
        assert.doesNotMatch(html, /<a[\s>]/, `${href} → ${html}`);
        assert.ok(html.includes('see the text here'), `${href} → ${html}`);
      }
    });

    it(`${name} keeps http(s) and mailto links`, () => {
      assert.ok(render('[site](https://example.org/a?b=c)').includes('<a href="https://example.org/a?b=c" rel="noopener">site</a>'));
      assert.ok(render('[site](http://example.org)').includes('<a href="http://example.org" rel="noopener">site</a>'));
      assert.ok(render('[mail](mailto:chairs@example.org)').includes('<a href="mailto:chairs@example.org">mail</a>'));
      assert.ok(render('<https://example.org>').includes('<a href="https://example.org" rel="noopener">https://example.org</a>'));
    });

    it(`${name} escapes quotes and ampersands in an href`, () => {
      const html = render('[x](https://example.org/"onmouseover="alert(1))');
      assert.ok(html.includes('href="https://example.org/&quot;onmouseover=&quot;alert(1)"'), html);
      assert.ok(render('[x](https://example.org/?a=1&b=2)').includes('href="https://example.org/?a=1&amp;b=2"'));
    });

    it(`${name} decodes character references in an href once, not twice`, () => {
      const html = render('[x](https://example.org/?a=1&amp;b=2) [y](https://example.org/&#x7E;me)');
      assert.ok(html.includes('href="https://example.org/?a=1&amp;b=2"'), html);
      assert.ok(html.includes('href="https://example.org/~me"'), html);
    });
  }
});

describe('images', () => {
  for (const [name, render] of renderers) {
    it(`${name} renders an image as its alt text only`, () => {
      const html = render('before ![a chart](https://evil.example/track.png) after');
      assert.doesNotMatch(html, /<img/i);
      assert.doesNotMatch(html, /evil\.example/);
      assert.ok(html.includes('before a chart after'), html);
      assert.equal(render('![<b>alt</b>](https://x.example/a.png)').replace(/^<p>|<\/p>\n$/g, ''), '&lt;b&gt;alt&lt;/b&gt;');
    });
  }
});

describe('ordinary markdown', () => {
  it('keeps emphasis, strong, code and links inline', () => {
    const html = renderInlineMarkdown('*em*, **strong**, `code` and [a link](https://example.org)');
    assert.equal(
      html,
      '<em>em</em>, <strong>strong</strong>, <code>code</code> and <a href="https://example.org" rel="noopener">a link</a>',
    );
  });

  it('inline rendering adds no paragraph', () => {
    assert.doesNotMatch(renderInlineMarkdown('**Novel models**'), /<p>/);
  });

  it('keeps paragraphs and lists in block rendering', () => {
    const html = renderMarkdown('First paragraph.\n\nSecond *one*.\n\n- one\n- two\n\n1. first\n2. second');
    assert.match(html, /<p>First paragraph\.<\/p>/);
    assert.match(html, /<p>Second <em>one<\/em>\.<\/p>/);
    assert.match(html, /<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    assert.match(html, /<ol>\s*<li>first<\/li>\s*<li>second<\/li>\s*<\/ol>/);
  });

  it('escapes special characters in text', () => {
    assert.equal(renderInlineMarkdown('Q&A: 1 < 2 > 0 "quoted"'), 'Q&amp;A: 1 &lt; 2 &gt; 0 &quot;quoted&quot;');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    assert.equal(escapeHtml('plain'), 'plain');
  });
});

describe('headings, placed below the heading the text sits under', () => {
  /** The heading tags of the output, in order, with their text. */
  const outline = (html: string) => [...html.matchAll(/<(h[1-6])>(.*?)<\/h[1-6]>/g)].map((m) => `${m[1]} ${m[2]}`);

  it('the highest heading of a bio under a person’s h3 is an h4; the others keep their distance', () => {
    const bio = '# Early life\n\nBorn in London.\n\n## School\n\ntext\n\n# Work\n\nSetext heading\n---';
    assert.deepEqual(outline(renderMarkdown(bio, 3)), ['h4 Early life', 'h5 School', 'h4 Work', 'h5 Setext heading']);
  });

  it('moves headings up too, so that no level is skipped, and never past h6', () => {
    assert.deepEqual(outline(renderMarkdown('### Only h3s\n\n#### and h4s', 2)), ['h3 Only h3s', 'h4 and h4s']);
    assert.deepEqual(outline(renderMarkdown('# A\n\n## B\n\n### C\n\n#### D', 4)), ['h5 A', 'h6 B', 'h6 C', 'h6 D']);
  });

  it('reaches headings in quotes and lists', () => {
    assert.deepEqual(outline(renderMarkdown('> # Quoted\n\n- ## Listed', 2)), ['h3 Quoted', 'h4 Listed']);
  });

  it('by default a text adds no h1: it sits below the page’s', () => {
    assert.deepEqual(outline(renderMarkdown('# Title\n\n## Part')), ['h2 Title', 'h3 Part']);
  });

  it('a text without headings is rendered as before', () => {
    assert.equal(renderMarkdown('Just *text*.', 3), '<p>Just <em>text</em>.</p>\n');
  });
});
