import { main } from './main.js';

// Set the exit code rather than calling process.exit, so pending writes (stdout pipes, SQLite close) finish.
process.exitCode = await main(process.argv.slice(2));
