import {execFile} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {promisify} from 'node:util';
import test from 'ava';
import {phaseCommand, shippedRuntime} from '../../bench/compiled-self.js';
import {cliPath, projectRoot} from '../helpers/fixtures.js';

const run = promisify(execFile);

/** Printed by a module node loads before the program: what the process was started with. */
const PROBE = '--import=data:text/javascript,console.error(`runtime:${JSON.stringify({arena:process.env.MALLOC_ARENA_MAX,flags:process.execArgv})}`)';

test('the built command starts through its own first lines: one malloc arena and one V8 helper thread, arguments intact', async (t) => {
	const firstLines = (file: string) => readFileSync(file, 'utf8').split('\n', 2);
	t.deepEqual(firstLines(cliPath), firstLines(join(projectRoot, 'cli.tsx')), 'the build keeps the two runtime lines');
	// Run as an admin runs it: the file itself (executable), not `node dist/cli.js`.
	const {stdout, stderr} = await run(cliPath, ['--version'], {env: {...process.env, MALLOC_ARENA_MAX: '', NODE_OPTIONS: PROBE}});
	t.regex(stdout, /^\d+\.\d+\.\d+/);
	// Arguments with spaces reach the program as they were given.
	const refused = await run(cliPath, ['inspect', '/nonexistent dir/a b.mbz']).catch((error: {stderr: string}) => error);
	t.regex((refused as {stderr: string}).stderr, /\/nonexistent dir\/a b\.mbz/);
	const runtime = JSON.parse(/runtime:(.*)/.exec(stderr)![1]!) as {arena: string; flags: string[]};
	t.is(runtime.arena, '1');
	t.true(runtime.flags.includes('--v8-pool-size=1'));
});

test('benchmark phases run with the runtime the command declares', (t) => {
	const runtime = shippedRuntime();
	t.deepEqual(runtime, {env: {MALLOC_ARENA_MAX: '1'}, nodeFlags: ['--v8-pool-size=1']});
	const command = phaseCommand('/tmp/phase.mjs');
	t.deepEqual(command.args, ['--v8-pool-size=1', '/tmp/phase.mjs']);
	t.is(command.env.MALLOC_ARENA_MAX, '1');
});
