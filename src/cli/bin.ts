import { main } from './main.js';

// The only place that touches process.exitCode: everything below returns codes.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 3;
  },
);
