// A local engine as its own process, for tests that kill it: prints `ready` once started and closes
// the engine when its stdin ends.
import { LocalEngine } from '../../../lib/local/engine';
import { engineTemplate } from '../../fixtures/templates/engine-template';

const engine = await LocalEngine.start({ templates: [engineTemplate], warmRunners: 0, handlerModules: (name) => import(`../../fixtures/handlers/${name}.ts`) });
process.stdout.write('ready\n');
process.stdin.on('end', () => void engine.close().then(() => process.exit(0)));
process.stdin.resume();
