/**
 * Questions on a terminal (node:readline/promises): a line of text, or hidden input for a credential — the answer is
 * read with the terminal's echo off, so it never shows on screen nor stays in the scrollback.
 */
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';

export interface Prompter {
  /** The answer, trimmed; `hidden`: typed without echo. Rejects with PromptClosed when the input ends (Ctrl-D). */
  ask(question: string, options?: { hidden?: boolean }): Promise<string>;
  close(): void;
}

/** The input ended (Ctrl-D, Ctrl-C) before an answer. */
export class PromptClosed extends Error {
  override name = 'PromptClosed';
}

export function terminalPrompter(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stdout): Prompter {
  let muted = false;
  // readline echoes what is typed to its output; muted, the echo goes nowhere.
  const echo = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) output.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input, output: echo, terminal: true });
  // Ctrl-C while asked: stop (readline would only pause the input).
  rl.on('SIGINT', () => rl.close());
  const ended = new Promise<never>((_, reject) => rl.once('close', () => reject(new PromptClosed('the input ended'))));
  ended.catch(() => undefined);
  return {
    async ask(question, options = {}) {
      if (!options.hidden) return (await Promise.race([rl.question(question), ended])).trim();
      // The question is written before the echo is muted; the answer's line break after it is back on.
      output.write(question);
      muted = true;
      try {
        return (await Promise.race([rl.question(''), ended])).trim();
      } finally {
        muted = false;
        output.write('\n');
      }
    },
    close: () => rl.close(),
  };
}
