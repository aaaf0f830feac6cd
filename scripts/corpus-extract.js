#!/usr/bin/env node
// Copies a rendered manifest from a mirrored public repository into test/corpus/, keeping only the
// objects hitless reads (workloads, Services, ConfigMaps, PDBs, TargetGroupBindings), with a
// provenance header. Several PATHs (comma-separated) are concatenated. Usage: node scripts/corpus-extract.js NAME GITDIR REPO PATH [KIND,...|''] [COMMIT]
const { execFileSync } = require('child_process');
const fs = require('fs');
const yaml = require('yaml');
const [name, gitDir, repo, file, kindsArg, rev] = process.argv.slice(2);
const kinds = new Set(((kindsArg || undefined) ?? 'Deployment,DaemonSet,StatefulSet,Service,ConfigMap,PodDisruptionBudget,TargetGroupBinding').split(','));
const commit = execFileSync('git', ['-C', gitDir, 'rev-parse', rev || 'HEAD']).toString().trim();
const files = file.split(',');
const documents = files.flatMap((each) => yaml.parseAllDocuments(execFileSync('git', ['-C', gitDir, 'show', `${commit}:${each}`], { maxBuffer: 1 << 28 }).toString()));
const kept = [];
const dropped = new Map();
for (const document of documents) {
  const value = document.toJS();
  if (!value || typeof value !== 'object') continue;
  const nameFilter = process.env.NAME_FILTER ? new RegExp(process.env.NAME_FILTER) : undefined;
  if (kinds.has(value.kind) && (!nameFilter || nameFilter.test(value.metadata?.name ?? ''))) kept.push(document.toString().replace(/^---\n/, ''));
  else dropped.set(value.kind, (dropped.get(value.kind) || 0) + 1);
}
const droppedText = [...dropped].map(([kind, count]) => `${kind} ×${count}`).join(', ');
const header = [
  `# hitless corpus: ${name}`,
  ...files.map((each) => `# source: https://github.com/${repo}/blob/${commit}/${each}`),
  `# repo: ${repo}  path: ${files.join(' + ')}  commit: ${commit}`,
  dropped.size > 0 || process.env.NAME_FILTER ? `# trimmed: kept ${kept.length} objects of kinds ${[...kinds].join(', ')}${process.env.NAME_FILTER ? ` named /${process.env.NAME_FILTER}/` : ''}; dropped ${droppedText}` : `# untrimmed: ${kept.length} objects`,
  '# The objects below are as published (comments inside documents kept); only whole documents were dropped.',
].join('\n');
fs.writeFileSync(`test/corpus/${name}.yaml`, `${header}\n---\n${kept.join('---\n')}`);
console.log(name, commit, kept.length, droppedText);
