export {
  stripPhotoMetadata,
  photoFormat,
  PhotoRefused,
  type PhotoFormat,
  type Stripped,
} from './photo.metadata.ts';
export { photoData } from './photo.data.ts';
