export function loadMemoryProfiler(vm) {
  throw new Error('todo');
}
