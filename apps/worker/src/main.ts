import { startWorker } from "./index";

await startWorker();
