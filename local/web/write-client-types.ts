import { writeFileSync } from 'node:fs';
import { clientTypesOf } from 'ledger-client-generator';
import { CLIENT_TYPES_FILE, clientTypesFileOf } from './client-types-file.ts';
import { servedDocument } from './served-document.ts';

// `npm run contract:types`: rewrites the web application's client types from the document the app serves.
writeFileSync(CLIENT_TYPES_FILE, clientTypesFileOf(await clientTypesOf(await servedDocument())));
console.log(`wrote ${CLIENT_TYPES_FILE}`);
