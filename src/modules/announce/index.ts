export {
  createAnnounceService,
  mayPublishAnnouncements,
  announcementKinds,
  type AnnounceService,
  type AnnouncementKind,
  type AnnouncementAuthor,
  type AnnouncementTexts,
  type PublishInput,
  type ShownAnnouncement,
  type ListedAnnouncement,
} from './announce.service.ts';
export { announcementLifecycle, type AnnouncementState } from './announce.lifecycle.ts';
export { announceErrors } from './announce.errors.ts';
export { announceData } from './announce.data.ts';
