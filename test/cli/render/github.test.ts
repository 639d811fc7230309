import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, renderGithub } from '../../../src/cli/render/github.js';
import { SourceFile } from '../../../src/diagnostics/source.js';

const file = new SourceFile(
  'apps/main.acl',
  'policy "A" allow if everyone\npolicy "B" deny if country("KP")\n',
);
const files = new Map([[file.path, file]]);

describe('renderGithub', () => {
  it('prints one workflow command per diagnostic, with 1-based positions and escaped text', () => {
    const out = renderGithub(
      [
        {
          code: 'allows-everyone',
          severity: 'warning',
          message: 'app `A` lets everyone in: 100%',
          span: { file: file.path, start: 7, end: 10 },
          help: 'say who, e.g. a, b',
          witness: { country: 'KP' },
        },
        { code: 'ACL0201', severity: 'error', message: 'bad', span: { file: file.path, start: 29, end: 60 } },
        {
          code: 'analysis-incomplete',
          severity: 'info',
          message: 'gave up',
          span: { file: file.path, start: 0, end: 0 },
        },
      ],
      files,
    );
    expect(out).toBe(
      [
        '::warning file=apps/main.acl,line=1,col=8,endLine=1,endColumn=11,title=aclc allows-everyone::app `A` lets everyone in: 100%25%0Awitness: country=KP%0Ahelp: say who, e.g. a, b',
        '::error file=apps/main.acl,line=2,col=1,endLine=2,endColumn=32,title=aclc ACL0201 syntax-error::bad',
        '::notice file=apps/main.acl,line=1,col=1,endLine=1,endColumn=1,title=aclc analysis-incomplete::gave up',
        '',
      ].join('\n'),
    );
  });

  it('prints nothing when there is nothing to report', () => {
    expect(renderGithub([], files)).toBe('');
  });

  it('escapes like @actions/core', () => {
    expect(escapeData('a%b\r\nc')).toBe('a%25b%0D%0Ac');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });
});
