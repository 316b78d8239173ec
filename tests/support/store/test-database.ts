import pg from 'pg';
import { startPostgres } from '../postgres.js';

/** A PostgreSQL server for tests, with a fresh empty schema per store. */
export interface TestDatabase {
	/** The server's URL. */
	url: string;
	/** A URL whose connections work in a new, empty schema. */
	freshSchemaUrl(): Promise<string>;
	/** Drops the schemas made, or stops the private server. */
	close(): Promise<void>;
}

let schemas = 0;

/**
 * The server in `TEST_DATABASE_URL`, or a private one started for this test file. Never a skip:
 * without PostgreSQL the tests fail and say how to install it.
 */
export async function testDatabase(): Promise<TestDatabase> {
	const given = process.env.TEST_DATABASE_URL?.trim();
	const server = given ? null : await startPostgres();
	const url = given || server!.url;
	const admin = new pg.Client({ connectionString: url });
	await admin.connect();
	const made: string[] = [];
	return {
		url,
		async freshSchemaUrl() {
			const schema = `test_${process.pid}_${(schemas += 1)}`;
			await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
			made.push(schema);
			const withSchema = new URL(url);
			withSchema.searchParams.set('options', `-c search_path=${schema}`);
			return withSchema.toString();
		},
		async close() {
			if (server) {
				await admin.end();
				server.remove();
				return;
			}
			for (const schema of made) {
				await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
			}
			await admin.end();
		}
	};
}
