import {StoreError} from '../errors.js';
import type {Db} from './db.js';

/**
 * Makes writers to one site take turns, on both adapters, in portable SQL: an UPDATE that changes nothing
 * still locks its row until the transaction ends, so on PostgreSQL a second writer's call waits here until
 * the first commits or rolls back (SQLite admits one writer anyway). Call it first thing in a write
 * transaction, then check again anything decided before the wait (users to create, names taken).
 */
export async function lockSiteForWriting(tx: Db): Promise<void> {
	const {changes} = await tx.run('UPDATE {config} SET value = value WHERE name = ?', ['siteidentifier']);
	if (changes !== 1) throw new StoreError('the site has no siteidentifier in its config: cannot take its write lock');
}
