/** A POSIX shell script as simple commands: the tokenizer the preStop reader judges scripts by. */

/** The shells a preStop names to run a script with `-c`. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'busybox']);

/** One command of a shell script, with how it is joined to the previous one. */
export interface ShellStep {
  readonly words: string[];
  readonly text: string;
  /** `;` (or newline), `&&`, `||`, `|`. */
  readonly joiner: string;
}

/** The program name of a command path (`/bin/sh` → `sh`). */
export function basename(command: string): string {
  const parts = command.split('/');
  return parts[parts.length - 1];
}

/** A word as the shell would read it back unchanged: bare when it can be, else single-quoted. */
export function quoteWord(word: string): string {
  return /^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Splits a POSIX shell script into simple commands; undefined when it uses constructs not read (loops, subshells, variables in sleeps). */
export function splitScript(script: string): ShellStep[] | undefined {
  return new ScriptSplitter(script).split();
}

/** The words of every command of a script, in order (none when it cannot be read). */
export function splitWords(text: string): string[] {
  return splitScript(text)?.flatMap((step) => step.words) ?? [];
}

class ScriptSplitter {
  private readonly steps: ShellStep[] = [];
  private words: string[] = [];
  private word = '';
  private inWord = false;
  private text = '';
  private joiner = ';';
  private quote: '"' | "'" | undefined;

  constructor(private readonly script: string) {}

  split(): ShellStep[] | undefined {
    for (let index = 0; index < this.script.length; index++) {
      const next = this.quote ? this.quoted(index) : this.unquoted(index);
      if (next === undefined) return undefined;
      index = next;
    }
    if (this.quote) return undefined;
    this.endStep(';');
    return this.steps;
  }

  /** Reads the character at `index` inside quotes; returns the index of the last character used. */
  private quoted(index: number): number {
    const char = this.script[index];
    this.text += char;
    if (char === this.quote) this.quote = undefined;
    else if (char === '\\' && this.quote === '"' && index + 1 < this.script.length) {
      this.word += this.script[++index];
      this.text += this.script[index];
    } else this.word += char;
    return index;
  }

  /** Reads the character at `index` outside quotes; undefined when it starts a construct the reader does not follow. */
  private unquoted(index: number): number | undefined {
    const script = this.script;
    const char = script[index];
    if (char === '"' || char === "'") {
      this.quote = char;
      this.inWord = true;
      this.text += char;
      return index;
    }
    if (char === '\\' && index + 1 < script.length) {
      if (script[index + 1] === '\n') return index + 1;
      this.word += script[++index];
      this.inWord = true;
      this.text += char + script[index];
      return index;
    }
    if (char === '#' && !this.inWord) {
      while (index + 1 < script.length && script[index + 1] !== '\n') index++;
      return index;
    }
    const operator = this.operatorAt(index);
    if (operator) {
      this.endStep(operator.joiner);
      return index + operator.length - 1;
    }
    if (char === '&' && script[index - 1] !== '>' && script[index - 1] !== '<' && script[index + 1] !== '>') {
      // A background job: its timing is not the hook's.
      return undefined;
    }
    if ('(){}`$'.includes(char)) {
      // Subshells, groups, command substitution and variables hide timing the reader cannot know.
      return undefined;
    }
    if (char === ' ' || char === '\t') {
      this.endWord();
      this.text += char;
      return index;
    }
    this.word += char;
    this.inWord = true;
    this.text += char;
    return index;
  }

  /** The list operator at `index` (`;`, newline, `&&`, `||`, `|`) and how many characters it takes. */
  private operatorAt(index: number): { joiner: string; length: number } | undefined {
    const char = this.script[index];
    const next = this.script[index + 1];
    if (char === ';' || char === '\n') return { joiner: ';', length: 1 };
    if (char === '&' && next === '&') return { joiner: '&&', length: 2 };
    if (char === '|' && next === '|') return { joiner: '||', length: 2 };
    if (char === '|') return { joiner: '|', length: 1 };
    return undefined;
  }

  private endWord(): void {
    if (this.inWord) this.words.push(this.word);
    this.word = '';
    this.inWord = false;
  }

  private endStep(next: string): void {
    this.endWord();
    if (this.words.length > 0) this.steps.push({ words: this.words, text: this.text.trim(), joiner: this.joiner });
    this.words = [];
    this.text = '';
    this.joiner = next;
  }
}
