export { createLinkedService, type LinkedService, type LinkView, type Finished } from './linked.service.ts';
export { linkedErrors } from './linked.errors.ts';
export type { LinkedProviderConfig } from './linked.types.ts';
export { linkedData } from './linked.data.ts';
