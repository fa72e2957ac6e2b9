/**
 * Prints the top functions of a V8 CPU profile by self time, and self time by area.
 *
 *   node --import tsx bench/summarise-profile.ts bench/results/<stamp>-operator.cpuprofile [top]
 */
import { summariseProfile } from './lib/profile.ts';

const [file, top = '15'] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: summarise-profile.ts <file.cpuprofile> [top]');
  process.exitCode = 2;
} else {
  console.log(summariseProfile(file, Number(top)));
}
