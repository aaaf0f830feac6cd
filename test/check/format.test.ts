import { readManifestText } from '../../lib/read';
import { checkReadResult, formatText } from '../../lib/check';

describe('formatText', () => {
  test('shows control characters from the input escaped, never as terminal sequences', () => {
    const name = 'evil\u001b]0;pwned\u0007\u001b[2J';
    const text = `apiVersion: v1\nkind: Service\nmetadata: {name: "${name.replace(/\u001b/g, '\\e').replace(/\u0007/g, '\\a')}", namespace: edge}\nspec: {type: LoadBalancer, selector: {app: nothing}}\n`;
    const report = checkReadResult(readManifestText(text, 'x.yaml'));
    for (const color of [false, true]) {
      const shown = formatText(report, { color });
      expect(shown).toContain('evil\\u001b]0;pwned\\u0007\\u001b[2J');
      expect(shown).not.toContain('\u0007');
      expect(shown.replace(/\u001b\[(?:\d+;)*\d*m/g, '')).not.toContain('\u001b');
    }
  });
});
