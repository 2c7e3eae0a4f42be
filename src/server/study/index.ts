/** The blinded Turing-test study: design and statistics (pure), creation (archive in, archive out). */
export { annotatorOrders, drawItems, shuffled, type Candidate, type DrawnItem, type Pool } from "./assign.ts";
export { blindMessages } from "./blind.ts";
export { createStudy, randomToken, StudyPlan, type StudyDeps } from "./create.ts";
export { HUMAN_CONDITION, StudyResults, studyResults, type StudyInput } from "./results.ts";
export { fleissKappa, meanCi, welchTTest, type MeanCi, type WelchResult } from "./stats.ts";
export { annotatorView, AnswerInput, answerRows, itemAt, recordAnswer, resultsOf, type AnnotatorView } from "./serve.ts";
