// Keep test output readable: the SDK's INFO logs (worker state changes, webpack stats) off.
import { installQuietRuntime } from '../../worker/createWorker';

installQuietRuntime();
