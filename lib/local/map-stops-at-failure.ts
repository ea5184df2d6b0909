// aws-local-stepfunctions 3.0.0 runs a Map's items through p-limit and, when one fails, aborts the
// running ones but leaves the queue: with MaxConcurrency below the item count, the queued items still
// start after the Map failed — their tasks run (a fail-fast matrix's later cells start their runners)
// and, the execution being over, wait forever on the library's 24-day task timer, so `stepdeploy run`
// never exits. AWS stops a Map at its first failed iteration and starts none of the rest.
//
// Each Map state's run uses one iterator StateMachine for all its items (a new one per time the Map
// state is entered), and runs each item through its `run`: once an item of that iterator has failed,
// a later `run` of it ends at once without entering a state.
import { ExecutionAbortedError, StateMachine } from 'aws-local-stepfunctions';

type Run = StateMachine['run'];
type RunResult = ReturnType<Run>;

const failedIterators = new WeakSet<StateMachine>();
const libraryRun: Run = StateMachine.prototype.run;

const noEvents = (async function* () {})();

StateMachine.prototype.run = function run(this: StateMachine, ...args: Parameters<Run>): RunResult {
  // Only a Map's items and a Parallel's branches run with the execution's root signal.
  const nested = (args[1] as { _rootAbortSignal?: AbortSignal } | undefined)?._rootAbortSignal !== undefined;
  if (!nested) return libraryRun.apply(this, args);
  if (failedIterators.has(this)) {
    const result = Promise.reject(new ExecutionAbortedError());
    result.catch(() => undefined); // the Map has already failed: nobody waits for this item
    return { abort: () => undefined, eventLogs: noEvents as RunResult['eventLogs'], result };
  }
  const execution = libraryRun.apply(this, args);
  // Attached before p-limit's own handler, so the mark is set before it starts the next item.
  execution.result.then(undefined, () => failedIterators.add(this));
  return execution;
};
