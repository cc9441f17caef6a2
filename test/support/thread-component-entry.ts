/** The entry of the test component thread (component-thread.test.ts). */
import { serveComponentThread } from '../../src/server/component-thread-runtime.js';
import { runTestComponent } from './thread-component.js';

void serveComponentThread(runTestComponent);
