export {
  createSharingService,
  type SharingService,
  type Partner,
  type ShareRequest,
  type DisclosureRequest,
} from './sharing.service.ts';
export { sharingErrors } from './sharing.errors.ts';
export { sharingData } from './sharing.data.ts';
