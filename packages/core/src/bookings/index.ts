/** The bookings domain's entry: what the API and the worker use. Tests reach internals by relative path. */
export {
  type BookingReceipt,
  bookingCreateInput,
  bookingReceipt,
  createBooking,
} from "./booking-create";
export { bookingListInput, listBookings } from "./booking-list";
export {
  bookingReviewInput,
  bookingSetStatusInput,
  recordReview,
  setBookingStatus,
} from "./booking-status";
