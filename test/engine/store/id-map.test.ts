import test from 'ava';
import {IdMap} from '../../../source/engine/store/id-map.js';

test('set, get, entry, has and getMany behave like backup_ids', t => {
	const map = new IdMap();
	map.set('user', 5, 105);
	map.set('user', 6, 0);
	map.set('context', 40, 400, 5, {level: 50});
	t.is(map.get('user', 5), 105);
	t.is(map.get('user', 6), 0, 'newId 0 is a known, not created item');
	t.true(map.has('user', 6));
	t.false(map.has('user', 7));
	t.is(map.get('user', 7), undefined);
	t.is(map.get('course', 5), undefined, 'itemnames are separate');
	t.deepEqual(map.entry('context', 40), {newId: 400, parentId: 5, info: {level: 50}});
	t.deepEqual(map.getMany('user', [6, 7, 5]), [0, undefined, 105]);
	t.is(map.size, 3);
	map.set('user', 5, 205);
	t.is(map.get('user', 5), 205, 'a later set replaces');
	t.is(map.size, 3);
	t.deepEqual(map.childrenOf('context', 5), [40]);
	t.deepEqual(map.itemnames().sort(), ['context', 'user']);
	map.clear('user');
	t.false(map.has('user', 5));
	t.is(map.size, 1);
	map.clear();
	t.is(map.size, 0);
	t.is(map.get('context', 40), undefined);
});

test('string-ish ids from XML are normalised to numbers', t => {
	const map = new IdMap();
	map.set('group', Number('12'), Number('112'));
	t.is(map.get('group', 12), 112);
});

test('half a million mappings stay fast', t => {
	const map = new IdMap();
	const count = 500_000;
	const start = performance.now();
	for (let id = 1; id <= count; id++) map.set(id % 2 === 0 ? 'forum_post' : 'user', id, id + 1_000_000, id % 100);
	const setMs = performance.now() - start;
	const lookup = performance.now();
	let sum = 0;
	for (let id = 1; id <= count; id++) sum += map.get(id % 2 === 0 ? 'forum_post' : 'user', id)!;
	const getMs = performance.now() - lookup;
	t.is(map.size, count);
	t.is(sum, count * 1_000_000 + (count * (count + 1)) / 2);
	t.log(`set ${count}: ${setMs.toFixed(0)} ms, get ${count}: ${getMs.toFixed(0)} ms`);
	t.true(setMs < 3000 && getMs < 3000);
});

test('entries lists one itemname with parents and info; replacing a mapping drops its old parent and info', t => {
	const map = new IdMap();
	map.set('forum_post', 1, 11, 100, {subject: 'a'});
	map.set('forum_post', 2, 12);
	t.deepEqual([...map.entries('forum_post')], [
		[1, {newId: 11, parentId: 100, info: {subject: 'a'}}],
		[2, {newId: 12, parentId: null, info: null}],
	]);
	map.set('forum_post', 1, 21);
	t.deepEqual(map.entry('forum_post', 1), {newId: 21, parentId: null, info: null});
	t.deepEqual(map.childrenOf('forum_post', 100), []);
	t.deepEqual([...map.entries('nothing')], []);
});
