import { main } from './main.js';

// `brainseg info | head` closes the pipe early: that is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// Set the exit code rather than calling process.exit, so pending writes (stdout pipes, SQLite close) finish.
process.exitCode = await main(process.argv.slice(2));
