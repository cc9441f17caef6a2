/** The entry of the scheduler component thread (component-thread.ts): serves scheduler-component.ts's runSchedulerComponent. */
import { serveComponentThread } from './component-thread-runtime.js';
import { runSchedulerComponent } from './scheduler-component.js';

void serveComponentThread(runSchedulerComponent);
