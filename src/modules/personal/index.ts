export {
  createPersonalisation,
  forgetOnWithdrawal,
  nearestHall,
  roundPlace,
  personalisationPurposes,
  RECENT,
  type Personalisation,
  type PersonalService,
  type ServiceHall,
  type SharedPlace,
} from './personal.service.ts';
export { personalData } from './personal.data.ts';
