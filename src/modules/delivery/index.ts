export {
  createDeliveryService,
  type DeliveryService,
  type DeliveryView,
  type DeliveryRelease,
} from './delivery.service.ts';
export { deliveryAsk, contactInput, MAX_OPEN_DAYS, DAYS_AFTER_CLOSE, type DeliveryAsk } from './delivery.ts';
export { deliveryErrors } from './delivery.errors.ts';
export { deliveryData } from './delivery.data.ts';
