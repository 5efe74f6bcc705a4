export function loadObjgraph(vm) {
  throw new Error('todo');
}
