/** The plan's human renderer lives in `src/plan-view` (with the view it renders); re-exported for the commands. */
export {
  type ExtraSection,
  inline,
  type PlanRenderOptions,
  renderChange,
  renderPlan,
  summaryLine,
} from '../../plan-view/render-human.js';
