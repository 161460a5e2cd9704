/**
 * filterByFormula, the subset the emulator understands: a tokenizer, a parser into a small expression tree, and an
 * evaluator over one record. Also how a formula (and a sort) sees a cell value.
 */
import { invalidFormula } from './errors.ts';
import type { EmulatorRecord } from './types.ts';

type Token =
  | { kind: 'field'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'ident'; name: string }
  | { kind: 'op'; op: string }
  | { kind: 'punct'; char: '(' | ')' | ',' };

type Expr =
  | { kind: 'field'; name: string }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'compare'; op: string; left: Expr; right: Expr };

/** Functions the emulator understands, with their arity (`-1`: one or more). */
const FUNCTIONS: Record<string, number> = {
  AND: -1,
  OR: -1,
  NOT: 1,
  TRUE: 0,
  FALSE: 0,
  BLANK: 0,
  RECORD_ID: 0,
  LOWER: 1,
  UPPER: 1,
  TRIM: 1,
};

const OPERATORS = ['!=', '<=', '>=', '=', '<', '>'];

// ── Tokenizer ──

/** The text from `start` (just after an opening delimiter) to `close`, with `\x` read as `x`; `end` is past `close`. */
function readDelimited(text: string, start: number, close: string): { value: string; end: number } {
  let value = '';
  let i = start;
  while (i < text.length && text[i] !== close) {
    if (text[i] === '\\' && i + 1 < text.length) i += 1;
    value += text[i];
    i += 1;
  }
  if (text[i] !== close) throw invalidFormula();
  return { value, end: i + 1 };
}

/** The token that starts at `i`, and where the next one may start. */
function readToken(text: string, i: number, char: string): { token: Token; end: number } {
  if (char === '{') {
    const { value, end } = readDelimited(text, i + 1, '}');
    return { token: { kind: 'field', name: value }, end };
  }
  if (char === "'" || char === '"') {
    const { value, end } = readDelimited(text, i + 1, char);
    return { token: { kind: 'string', value }, end };
  }
  if (/[0-9.]/.test(char)) {
    const match = /^\d*\.?\d+/.exec(text.slice(i));
    if (!match) throw invalidFormula();
    return { token: { kind: 'number', value: Number(match[0]) }, end: i + match[0].length };
  }
  if (/[A-Za-z_]/.test(char)) {
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i)) ?? [''];
    return { token: { kind: 'ident', name: match[0].toUpperCase() }, end: i + match[0].length };
  }
  if (char === '(' || char === ')' || char === ',') return { token: { kind: 'punct', char }, end: i + 1 };
  const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
  if (op === undefined) throw invalidFormula();
  return { token: { kind: 'op', op }, end: i + op.length };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? '';
    if (/\s/.test(char)) {
      i += 1;
      continue;
    }
    const { token, end } = readToken(text, i, char);
    tokens.push(token);
    i = end;
  }
  return tokens;
}

// ── Parser ──

/** A recursive-descent parser: comparison := primary (op primary)?; primary := field | literal | call | ( comparison ). */
function parseFormula(text: string): Expr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isPunct = (token: Token | undefined, char: string): boolean => token?.kind === 'punct' && token.char === char;

  function call(name: string): Expr {
    const arity = FUNCTIONS[name];
    if (arity === undefined || !isPunct(peek(), '(')) throw invalidFormula();
    pos += 1;
    const args: Expr[] = [];
    if (!isPunct(peek(), ')')) {
      args.push(comparison());
      while (isPunct(peek(), ',')) {
        pos += 1;
        args.push(comparison());
      }
    }
    if (!isPunct(tokens[pos++], ')')) throw invalidFormula();
    if ((arity === -1 && args.length === 0) || (arity >= 0 && args.length !== arity)) throw invalidFormula();
    return { kind: 'call', name, args };
  }

  function primary(): Expr {
    const token = tokens[pos++];
    if (!token) throw invalidFormula();
    switch (token.kind) {
      case 'field':
        return { kind: 'field', name: token.name };
      case 'string':
      case 'number':
        return { kind: 'literal', value: token.value };
      case 'ident':
        return call(token.name);
      case 'punct': {
        if (token.char !== '(') throw invalidFormula();
        const inner = comparison();
        if (!isPunct(tokens[pos++], ')')) throw invalidFormula();
        return inner;
      }
      case 'op':
        throw invalidFormula();
    }
  }

  function comparison(): Expr {
    const left = primary();
    const next = peek();
    if (next?.kind !== 'op') return left;
    pos += 1;
    return { kind: 'compare', op: next.op, left, right: primary() };
  }

  const expr = comparison();
  if (pos !== tokens.length) throw invalidFormula();
  return expr;
}

function fieldNamesIn(expr: Expr, into: Set<string>): Set<string> {
  if (expr.kind === 'field') into.add(expr.name);
  if (expr.kind === 'call') for (const arg of expr.args) fieldNamesIn(arg, into);
  if (expr.kind === 'compare') {
    fieldNamesIn(expr.left, into);
    fieldNamesIn(expr.right, into);
  }
  return into;
}

// ── Values ──

function displayItem(item: unknown): unknown {
  if (item && typeof item === 'object') {
    const object = item as { filename?: unknown; name?: unknown; email?: unknown };
    return object.filename ?? object.name ?? object.email ?? JSON.stringify(item);
  }
  return item;
}

/** A cell value as a formula sees it: blank → "", lists joined with ", ", true → 1. */
export function formulaValue(value: unknown): string | number {
  if (value === undefined || value === null || value === false) return '';
  if (value === true) return 1;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((item) => String(formulaValue(displayItem(item)))).join(', ');
  return String(displayItem(value));
}

/** The order of two cells in a sort: blanks first, numbers as numbers, the rest as text. */
export function compareCells(a: unknown, b: unknown): number {
  const x = formulaValue(a);
  const y = formulaValue(b);
  if (x === '' || y === '') return x === y ? 0 : x === '' ? -1 : 1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x).localeCompare(String(y));
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return !(value === undefined || value === null || value === false || value === '' || value === 0 || Number.isNaN(value));
}

// ── Evaluator ──

/** An argument's value as text. */
function asText(expr: Expr | undefined, record: EmulatorRecord): string {
  return String(formulaValue(evaluate(expr!, record)));
}

function callFunction(name: string, args: Expr[], record: EmulatorRecord): unknown {
  switch (name) {
    case 'AND':
      return args.every((arg) => truthy(evaluate(arg, record)));
    case 'OR':
      return args.some((arg) => truthy(evaluate(arg, record)));
    case 'NOT':
      return !truthy(evaluate(args[0] ?? { kind: 'literal', value: '' }, record));
    case 'TRUE':
      return true;
    case 'FALSE':
      return false;
    case 'RECORD_ID':
      return record.id;
    case 'LOWER':
      return asText(args[0], record).toLowerCase();
    case 'UPPER':
      return asText(args[0], record).toUpperCase();
    case 'TRIM':
      return asText(args[0], record).trim();
    default:
      return ''; // BLANK()
  }
}

/** A comparison; numeric when either side is a number (a blank side is then 0). */
function compare(op: string, leftValue: unknown, rightValue: unknown): boolean {
  const left = formulaValue(leftValue);
  const right = formulaValue(rightValue);
  const numeric = typeof left === 'number' || typeof right === 'number';
  const a = numeric ? Number(left === '' ? 0 : left) : left;
  const b = numeric ? Number(right === '' ? 0 : right) : right;
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    default:
      return a >= b;
  }
}

function evaluate(expr: Expr, record: EmulatorRecord): unknown {
  switch (expr.kind) {
    case 'field':
      return record.fields[expr.name];
    case 'literal':
      return expr.value;
    case 'call':
      return callFunction(expr.name, expr.args, record);
    case 'compare':
      return compare(expr.op, evaluate(expr.left, record), evaluate(expr.right, record));
  }
}

/**
 * Compiles the supported subset of filterByFormula: `{Field}`, 'text' / "text", numbers, `= != < > <= >=`, AND(…),
 * OR(…), NOT(…), TRUE(), FALSE(), BLANK(), RECORD_ID(), LOWER(…), UPPER(…), TRIM(…), parentheses. Anything else is a 422
 * INVALID_FILTER_BY_FORMULA, as are unknown field names. A record is kept unless the result is 0, false, "", NaN,
 * blank or an empty list.
 */
export function compileFormula(text: string, knownFields: ReadonlySet<string>): (record: EmulatorRecord) => boolean {
  const expr = parseFormula(text);
  const unknown = [...fieldNamesIn(expr, new Set())].filter((name) => !knownFields.has(name));
  if (unknown.length > 0) {
    throw invalidFormula(`The formula for filtering records is invalid: Unknown field names: ${unknown.join(', ')}`);
  }
  return (record) => truthy(evaluate(expr, record));
}
