import type { WireList } from '../model/compiled.js';
import type { ListDef, Project } from '../model/project.js';

/** A list declared in code → its Gateway lists API body. */
export function wireList(def: ListDef): WireList {
  return {
    name: def.name,
    type: def.type === 'ip' ? 'IP' : 'EMAIL',
    items: def.members.map((value) => ({ value })),
  };
}

/** The project's lists by name (deterministic), or `undefined` when it declares none. */
export function wireLists(project: Project): WireList[] | undefined {
  if (!project.lists || project.lists.size === 0) return undefined;
  return [...project.lists.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(wireList);
}
