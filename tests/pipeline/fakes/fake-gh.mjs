// @ts-check
// A fake GitHub CLI: `gh api repos/OWNER/NAME/commits/main --jq .sha` answers the world's newest commit.
import { fail, loadWorld, recordCall } from './fake-world.mjs';

const args = process.argv.slice(2);
recordCall(args);
const [command = '', path = ''] = args;
if (command !== 'api' || !/^repos\/[^/]+\/[^/]+\/commits\/main$/.test(path)) {
  fail(`fake gh: unsupported command: ${args.join(' ')}`);
}
process.stdout.write(`${loadWorld().mainHead}\n`);
