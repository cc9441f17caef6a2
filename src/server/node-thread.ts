/** The entry of the node component thread (component-thread.ts): serves node-component.ts's runNodeComponent. */
import { serveComponentThread } from './component-thread-runtime.js';
import { runNodeComponent } from './node-component.js';

void serveComponentThread(runNodeComponent);
