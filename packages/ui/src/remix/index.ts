export { appRoot } from "./app-root";
export { Document } from "./document";
export { ErrorPage } from "./error-page";
export { forwardDataHeaders } from "./forward-headers";
export { NonceProvider, useNonce } from "./nonce";
export { Toast, type ToastMessage } from "./toast";
