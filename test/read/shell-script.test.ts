import { basename, quoteWord, splitScript, splitWords } from '../../lib/read/shell-script';

describe('splitting a preStop script into simple commands', () => {
  test('splits on ;, newlines, &&, || and |, keeping how each command is joined to the one before', () => {
    const steps = splitScript('sleep 5; wget -O- x && echo ok || echo failed | cat\nsleep 1');
    expect(steps?.map((step) => [step.joiner, step.words])).toEqual([
      [';', ['sleep', '5']],
      [';', ['wget', '-O-', 'x']],
      ['&&', ['echo', 'ok']],
      ['||', ['echo', 'failed']],
      ['|', ['cat']],
      [';', ['sleep', '1']],
    ]);
  });

  test('reads quotes, escapes and line continuations as the shell does, and keeps each command\'s text', () => {
    const [step] = splitScript(`wget --post-data "" 'http://127.0.0.1:9901/healthcheck/fail' "a\\"b" c\\ d \\\n e`)!;
    expect(step.words).toEqual(['wget', '--post-data', '', 'http://127.0.0.1:9901/healthcheck/fail', 'a"b', 'c d', 'e']);
    expect(step.text).toContain(`'http://127.0.0.1:9901/healthcheck/fail'`);
  });

  test('skips comments and keeps redirections such as 2>&1 in their command', () => {
    expect(splitScript('# wait for the load balancer\nsleep 10 2>&1 # then exit')?.map((step) => step.words)).toEqual([['sleep', '10', '2>&1']]);
  });

  test.each([
    ['a variable', 'sleep $DELAY'],
    ['a subshell', '(sleep 5)'],
    ['command substitution', 'sleep `cat /delay`'],
    ['a background job', 'sleep 5 & wait'],
    ['an unclosed quote', 'echo "never closed'],
  ])('gives up on %s, whose timing the reader cannot know', (_what, script) => {
    expect(splitScript(script)).toBeUndefined();
  });

  test('splitWords flattens every command\'s words, and is empty for a script it cannot read', () => {
    expect(splitWords('envoy shutdown --drain-timeout 30s; sleep 1')).toEqual(['envoy', 'shutdown', '--drain-timeout', '30s', 'sleep', '1']);
    expect(splitWords('sleep $X')).toEqual([]);
  });
});

describe('words and programs', () => {
  test('quoteWord leaves plain words bare and single-quotes the rest so the shell reads them back unchanged', () => {
    expect(quoteWord('/bin/sleep')).toBe('/bin/sleep');
    expect(quoteWord('it\'s 5')).toBe(`'it'\\''s 5'`);
    expect(splitWords(quoteWord('it\'s 5'))).toEqual(['it\'s 5']);
  });

  test('basename is the program a command path runs', () => {
    expect(basename('/usr/bin/wget')).toBe('wget');
    expect(basename('sleep')).toBe('sleep');
  });
});
