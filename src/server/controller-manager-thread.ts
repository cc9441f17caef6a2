/** The entry of the controller-manager component thread (component-thread.ts): serves controller-manager-component.ts's runControllerManagerComponent. */
import { serveComponentThread } from './component-thread-runtime.js';
import { runControllerManagerComponent } from './controller-manager-component.js';

void serveComponentThread(runControllerManagerComponent);
