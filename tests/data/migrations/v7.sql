BEGIN TRANSACTION;
CREATE TABLE "_migrations" (
   "id" INTEGER PRIMARY KEY,
   "name" TEXT,
   "applied_at" TEXT
);
INSERT INTO "_migrations" VALUES(1,'initial','2026-12-02T01:52:14.774618+00:00');
INSERT INTO "_migrations" VALUES(2,'drafts','2026-12-02T01:52:14.774722+00:00');
INSERT INTO "_migrations" VALUES(3,'llm_calls','2026-12-02T01:52:14.774794+00:00');
INSERT INTO "_migrations" VALUES(4,'progress','2026-12-02T01:52:14.775115+00:00');
INSERT INTO "_migrations" VALUES(5,'spoken_answers','2026-12-02T01:52:14.775181+00:00');
INSERT INTO "_migrations" VALUES(6,'unscored_finished_sessions','2026-12-02T01:52:14.775214+00:00');
INSERT INTO "_migrations" VALUES(7,'fsrs','2026-12-02T01:52:14.780525+00:00');
CREATE TABLE "drafts" (
   "session_id" TEXT PRIMARY KEY REFERENCES "sessions"("id"),
   "position" INTEGER,
   "idx" INTEGER,
   "text" TEXT,
   "updated_at" TEXT
);
CREATE TABLE "exchanges" (
   "session_id" TEXT REFERENCES "sessions"("id"),
   "position" INTEGER,
   "idx" INTEGER,
   "kind" TEXT,
   "prompt" TEXT,
   "target_area" TEXT,
   "answer" TEXT,
   "seconds" REAL,
   "answered_at" TEXT,
   PRIMARY KEY ("session_id", "position", "idx")
);
INSERT INTO "exchanges" VALUES('a6574103',0,0,'question','Explain the bias-variance tradeoff and how it affects model selection.',NULL,'Bias is error from wrong assumptions, so the model underfits; variance is sensitivity to the training sample, so it
overfits. More capacity lowers bias and raises variance. I would compare training and validation error: both high
means bias, a large gap means variance, and I would regularise, add data or simplify the model accordingly.',NULL,'2026-12-02T01:52:14+00:00');
INSERT INTO "exchanges" VALUES('a6574103',1,0,'question','Explain how gradient descent works and discuss some of its variants. What are the tradeoffs?',NULL,NULL,NULL,NULL);
INSERT INTO "exchanges" VALUES('a6574103',2,0,'question','Why do we write tests for machine learning code, and what would you test in an ML project?',NULL,'We test ML code because silent failures are common: a shifted feature or a broken join still trains a model.
I write unit tests for feature code, data validation on inputs, and model quality checks against agreed thresholds
before a release, plus monitoring after it.',NULL,'2026-12-02T01:52:15+00:00');
INSERT INTO "exchanges" VALUES('3c874cb7',0,0,'question','Explain how gradient descent works and discuss some of its variants. What are the tradeoffs?',NULL,'Gradient descent steps against the gradient of the loss; the learning rate sets the step size.',NULL,'2026-12-02T01:52:15+00:00');
INSERT INTO "exchanges" VALUES('3c874cb7',1,0,'question','Explain the bias-variance tradeoff and how it affects model selection.',NULL,NULL,NULL,NULL);
CREATE TABLE "grades" (
   "session_id" TEXT REFERENCES "sessions"("id"),
   "position" INTEGER,
   "band" INTEGER,
   "score" REAL,
   "judge" TEXT,
   "judge_version" TEXT,
   "rubric_version" TEXT,
   "prompt_version" TEXT,
   "fallback" INTEGER,
   "payload" TEXT,
   "created_at" TEXT,
   PRIMARY KEY ("session_id", "position")
);
INSERT INTO "grades" VALUES('a6574103',0,3,3.0,'offline','offline-5','2026.11.1',NULL,0,'{"band":3,"competencies":{"machine-learning-fundamentals":3,"model-evaluation-optimization":3,"algorithm-knowledge-selection":3},"areas":[{"area":"Definition of bias and variance in machine learning context","status":"covered","evidence":"Bias is error from wrong assumptions, so the model underfits;"},{"area":"Relationship between bias, variance, and prediction error","status":"covered","evidence":"Bias is error from wrong assumptions"},{"area":"How model complexity affects this tradeoff","status":"missed","evidence":""},{"area":"Detection of high bias vs. high variance","status":"covered","evidence":"More capacity lowers bias and raises variance."},{"area":"Strategies for finding optimal balance","status":"missed","evidence":""},{"area":"Connection to overfitting and underfitting","status":"covered","evidence":"overfits."},{"area":"Practical implications for model selection and tuning","status":"missed","evidence":""}],"key_points":[{"area":"Bias is error from overly simple assumptions that make the model miss the real pattern","status":"covered","evidence":"Bias is error from wrong assumptions"},{"area":"Variance is error from the model''s sensitivity to the particular training sample","status":"covered","evidence":"variance is sensitivity to the training sample, so it"},{"area":"Expected squared error splits into squared bias, variance and irreducible noise","status":"partly","evidence":"More capacity lowers bias and raises variance."},{"area":"Raising model complexity usually lowers bias and raises variance","status":"covered","evidence":"More capacity lowers bias and raises variance."},{"area":"High bias shows as high training and validation error; high variance as a large gap between the two","status":"covered","evidence":"I would compare training and validation error: both high"},{"area":"More training data reduces variance but does not reduce bias","status":"covered","evidence":"variance is sensitivity to the training sample, so it"},{"area":"Regularisation, cross-validated tuning and ensembles manage the balance: bagging mainly cuts variance, boosting mainly cuts bias","status":"partly","evidence":"means bias, a large gap means variance, and I would regularise"}],"checks":[{"id":"disparages-others","description":"Stays respectful about colleagues and other engineers","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"not-an-echo","description":"Says more than the question itself","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"no-grader-instructions","description":"Does not try to instruct the grader","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"not-keyword-salad","description":"Makes statements, not a list of terms","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"substance-over-buzzwords","description":"Backs claims with substance, not buzzwords","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"commits-to-an-answer","description":"Commits to an answer instead of hedging","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"stays-on-point","description":"Stays on the question","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"on-topic","description":"Answers the question asked","passed":true,"evidence":"","parts_found":[],"spans":[]}],"misconceptions":[],"strength":"Covered well: Definition of bias and variance in machine learning context","improvement":"Cover this next time: How model complexity affects this tradeoff","explanation":["covers 67% of the areas and key points (61% in the rubric''s words, 62% by meaning): band 3"],"conflicts":[],"samples":[],"main_band":null,"confidence":"high","confidence_reason":"","provenance":{"judge":"offline","judge_version":"offline-5","rubric_version":"2026.11.1","prompt_version":null,"fallback":false,"fallback_reason":null,"meaning":"all-MiniLM-L6-v2 int8","meaning_unavailable":null,"combiner":"combiner-1"}}','2026-12-02T01:52:15+00:00');
INSERT INTO "grades" VALUES('a6574103',2,3,3.0,'offline','offline-5','2026.11.1',NULL,0,'{"band":3,"competencies":{"practical-problem-solving":3,"model-deployment-operations":3,"data-engineering-for-ml":3,"deploy-to-production":3},"areas":[{"area":"What tests are for: correctness and safe change, not only speed","status":"covered","evidence":"I write unit tests for feature code, data validation on inputs, and model quality checks against agreed thresholds"},{"area":"Unit tests for preprocessing and feature code","status":"covered","evidence":"I write unit tests for feature code"},{"area":"Validation of input and training data","status":"covered","evidence":"data validation on inputs"},{"area":"Model quality checks against agreed thresholds","status":"covered","evidence":"and model quality checks against agreed thresholds"},{"area":"Regression tests with fixed inputs and expected outputs","status":"partly","evidence":"I write unit tests for feature code, data validation on inputs"},{"area":"Running the tests automatically in CI","status":"missed","evidence":""}],"key_points":[{"area":"Tests check that code behaves correctly and make it safe to change or refactor without silently breaking something","status":"covered","evidence":"I write unit tests for feature code"},{"area":"Unit tests cover preprocessing and feature functions with small hand-made inputs, including edge cases such as empty input, missing values and unseen categories","status":"covered","evidence":"I write unit tests for feature code, data validation on inputs, and model quality checks against agreed thresholds"},{"area":"Data validation checks the schema, types, value ranges and null rates of incoming and training data","status":"covered","evidence":"data validation on inputs"},{"area":"Model tests assert that a trained model beats a baseline or a minimum metric threshold on a fixed evaluation set","status":"covered","evidence":"and model quality checks against agreed thresholds"},{"area":"Regression tests compare predictions on saved example inputs with expected outputs to catch unintended changes","status":"missed","evidence":""},{"area":"A test checks that the training and serving paths produce the same features for the same raw input","status":"partly","evidence":"I write unit tests for feature code, data validation on inputs, and model quality checks against agreed thresholds"},{"area":"Tests run automatically in CI on every change, and a failing test blocks the merge or the deployment","status":"missed","evidence":""},{"area":"Non-deterministic parts are tested with fixed seeds or tolerances instead of exact equality","status":"missed","evidence":""}],"checks":[{"id":"mentions-tests","description":"Mentions tests or a testing strategy","passed":true,"evidence":"unit tests","parts_found":[],"spans":[[117,127]]},{"id":"no-production-experience","description":"Does not admit to never having deployed a model","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"disparages-others","description":"Stays respectful about colleagues and other engineers","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"production-awareness","description":"Shows production awareness (3 of 5: preprocessing, monitoring, tests)","passed":true,"evidence":"feature code … monitoring … test","parts_found":["preprocessing","monitoring","tests"],"spans":[[132,144],[247,257],[3,7]]},{"id":"not-an-echo","description":"Says more than the question itself","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"no-grader-instructions","description":"Does not try to instruct the grader","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"not-keyword-salad","description":"Makes statements, not a list of terms","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"substance-over-buzzwords","description":"Backs claims with substance, not buzzwords","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"commits-to-an-answer","description":"Commits to an answer instead of hedging","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"stays-on-point","description":"Stays on the question","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"on-topic","description":"Answers the question asked","passed":true,"evidence":"","parts_found":[],"spans":[]}],"misconceptions":[],"strength":"Covered well: What tests are for: correctness and safe change, not only speed","improvement":"Cover this next time: Running the tests automatically in CI","explanation":["covers 67% of the areas and key points (45% in the rubric''s words, 64% by meaning): band 3"],"conflicts":[],"samples":[],"main_band":null,"confidence":"high","confidence_reason":"","provenance":{"judge":"offline","judge_version":"offline-5","rubric_version":"2026.11.1","prompt_version":null,"fallback":false,"fallback_reason":null,"meaning":"all-MiniLM-L6-v2 int8","meaning_unavailable":null,"combiner":"combiner-1"}}','2026-12-02T01:52:15+00:00');
INSERT INTO "grades" VALUES('3c874cb7',0,1,1.0,'offline','offline-5','2026.11.1',NULL,0,'{"band":1,"competencies":{"machine-learning-fundamentals":1,"deep-learning-knowledge":1,"model-evaluation-optimization":1},"areas":[{"area":"Basic gradient descent algorithm explanation","status":"covered","evidence":"Gradient descent steps against the gradient of the loss;"},{"area":"Variants: batch, mini-batch, stochastic","status":"missed","evidence":""},{"area":"Advanced optimizers: Adam, RMSprop, Adagrad","status":"missed","evidence":""},{"area":"Learning rate selection and scheduling","status":"covered","evidence":"the learning rate sets the step size."},{"area":"Convergence properties and challenges","status":"missed","evidence":""},{"area":"Handling local minima and saddle points","status":"missed","evidence":""},{"area":"Computational efficiency considerations","status":"missed","evidence":""},{"area":"Practical implementation considerations","status":"missed","evidence":""}],"key_points":[{"area":"Gradient descent repeatedly moves the parameters against the gradient of the loss, scaled by a learning rate","status":"covered","evidence":"Gradient descent steps against the gradient of the loss;"},{"area":"Batch gradient descent uses the whole dataset per step (stable but costly), SGD one example (cheap but noisy), mini-batch a small batch that balances both and suits GPUs","status":"missed","evidence":""},{"area":"Momentum accumulates past gradients to speed up progress and damp oscillations","status":"missed","evidence":""},{"area":"Adagrad, RMSprop and Adam adapt each parameter''s step size from its gradient history; Adam combines momentum with RMSprop-style scaling","status":"missed","evidence":""},{"area":"Too high a learning rate oscillates or diverges and too low a rate converges slowly; schedules, warm-up and learning-rate range tests help","status":"covered","evidence":"the learning rate sets the step size."},{"area":"In deep networks saddle points and plateaus are a bigger obstacle than bad local minima, and gradient noise helps escape them","status":"missed","evidence":""},{"area":"On convex problems with a suitable learning rate it converges to the global minimum","status":"missed","evidence":""},{"area":"Practical safeguards include feature scaling, gradient clipping and watching the loss curves","status":"missed","evidence":""}],"checks":[{"id":"disparages-others","description":"Stays respectful about colleagues and other engineers","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"not-an-echo","description":"Says more than the question itself","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"no-grader-instructions","description":"Does not try to instruct the grader","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"not-keyword-salad","description":"Makes statements, not a list of terms","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"substance-over-buzzwords","description":"Backs claims with substance, not buzzwords","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"commits-to-an-answer","description":"Commits to an answer instead of hedging","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"stays-on-point","description":"Stays on the question","passed":true,"evidence":"","parts_found":[],"spans":[]},{"id":"on-topic","description":"Answers the question asked","passed":true,"evidence":"","parts_found":[],"spans":[]}],"misconceptions":[],"strength":"","improvement":"Cover this next time: Variants: batch, mini-batch, stochastic","explanation":["covers 25% of the areas and key points (12% in the rubric''s words, 25% by meaning): band 1"],"conflicts":[],"samples":[],"main_band":null,"confidence":"high","confidence_reason":"","provenance":{"judge":"offline","judge_version":"offline-5","rubric_version":"2026.11.1","prompt_version":null,"fallback":false,"fallback_reason":null,"meaning":"all-MiniLM-L6-v2 int8","meaning_unavailable":null,"combiner":"combiner-1"}}','2026-12-02T01:52:16+00:00');
CREATE TABLE "llm_calls" (
   "id" INTEGER PRIMARY KEY,
   "session_id" TEXT,
   "position" INTEGER,
   "purpose" TEXT NOT NULL,
   "model" TEXT NOT NULL,
   "prompt_version" TEXT,
   "prompt_tokens" INTEGER,
   "completion_tokens" INTEGER,
   "server_prompt_tokens" INTEGER,
   "server_completion_tokens" INTEGER,
   "latency_ms" REAL,
   "ok" INTEGER,
   "error" TEXT,
   "response_format" TEXT,
   "streamed" INTEGER,
   "created_at" TEXT NOT NULL
);
CREATE TABLE progress_days (
  item_id integer not null, day text not null, total real not null, count integer not null,
  primary key (item_id, day)) without rowid;
INSERT INTO "progress_days" VALUES(2,'2026-12-02',1.0,2);
INSERT INTO "progress_days" VALUES(3,'2026-12-02',1.0,2);
INSERT INTO "progress_days" VALUES(4,'2026-12-02',0.75,1);
INSERT INTO "progress_days" VALUES(22,'2026-12-02',0.75,1);
INSERT INTO "progress_days" VALUES(23,'2026-12-02',0.75,1);
INSERT INTO "progress_days" VALUES(24,'2026-12-02',0.75,1);
INSERT INTO "progress_days" VALUES(25,'2026-12-02',0.75,1);
INSERT INTO "progress_days" VALUES(35,'2026-12-02',0.25,1);
CREATE TABLE progress_events (
  item_id integer not null, at text not null, session_id text not null, position integer not null, value real not null,
  primary key (item_id, at, session_id, position)) without rowid;
INSERT INTO "progress_events" VALUES(1,'2026-12-02T01:52:15+00:00','a6574103',0,0.75);
INSERT INTO "progress_events" VALUES(2,'2026-12-02T01:52:15+00:00','a6574103',0,0.75);
INSERT INTO "progress_events" VALUES(2,'2026-12-02T01:52:16+00:00','3c874cb7',0,0.25);
INSERT INTO "progress_events" VALUES(3,'2026-12-02T01:52:15+00:00','a6574103',0,0.75);
INSERT INTO "progress_events" VALUES(3,'2026-12-02T01:52:16+00:00','3c874cb7',0,0.25);
INSERT INTO "progress_events" VALUES(4,'2026-12-02T01:52:15+00:00','a6574103',0,0.75);
INSERT INTO "progress_events" VALUES(5,'2026-12-02T01:52:15+00:00','a6574103',0,1.0);
INSERT INTO "progress_events" VALUES(6,'2026-12-02T01:52:15+00:00','a6574103',0,1.0);
INSERT INTO "progress_events" VALUES(7,'2026-12-02T01:52:15+00:00','a6574103',0,0.0);
INSERT INTO "progress_events" VALUES(8,'2026-12-02T01:52:15+00:00','a6574103',0,1.0);
INSERT INTO "progress_events" VALUES(9,'2026-12-02T01:52:15+00:00','a6574103',0,0.0);
INSERT INTO "progress_events" VALUES(10,'2026-12-02T01:52:15+00:00','a6574103',0,1.0);
INSERT INTO "progress_events" VALUES(11,'2026-12-02T01:52:15+00:00','a6574103',0,0.0);
INSERT INTO "progress_events" VALUES(12,'2026-12-02T01:52:15+00:00','a6574103',0,1.0);
INSERT INTO "progress_events" VALUES(12,'2026-12-02T01:52:15+00:00','a6574103',2,1.0);
INSERT INTO "progress_events" VALUES(12,'2026-12-02T01:52:16+00:00','3c874cb7',0,1.0);
INSERT INTO "progress_events" VALUES(13,'2026-12-02T01:52:15+00:00','a6574103',0,1.0);
INSERT INTO "progress_events" VALUES(13,'2026-12-02T01:52:15+00:00','a6574103',2,1.0);
INSERT INTO "progress_events" VALUES(13,'2026-12-02T01:52:16+00:00','3c874cb7',0,1.0);
INSERT INTO "progress_events" VALUES(14,'2026-12-02T01:52:15+00:00','a6574103',0,1.0);
INSERT INTO "progress_events" VALUES(14,'2026-12-02T01:52:15+00:00','a6574103',2,1.0);
INSERT INTO "progress_events" VALUES(14,'2026-12-02T01:52:16+00:00','3c874cb7',0,1.0);
INSERT INTO "progress_events" VALUES(15,'2026-12-02T01:52:15+00:00','a6574103',0,1.0);
INSERT INTO "progress_events" VALUES(15,'2026-12-02T01:52:15+00:00','a6574103',2,1.0);
INSERT INTO "progress_events" VALUES(15,'2026-12-02T01:52:16+00:00','3c874cb7',0,1.0);
INSERT INTO "progress_events" VALUES(16,'2026-12-02T01:52:15+00:00','a6574103',0,1.0);
INSERT INTO "progress_events" VALUES(16,'2026-12-02T01:52:15+00:00','a6574103',2,1.0);
INSERT INTO "progress_events" VALUES(16,'2026-12-02T01:52:16+00:00','3c874cb7',0,1.0);
INSERT INTO "progress_events" VALUES(17,'2026-12-02T01:52:15+00:00','a6574103',0,1.0);
INSERT INTO "progress_events" VALUES(17,'2026-12-02T01:52:15+00:00','a6574103',2,1.0);
INSERT INTO "progress_events" VALUES(17,'2026-12-02T01:52:16+00:00','3c874cb7',0,1.0);
INSERT INTO "progress_events" VALUES(18,'2026-12-02T01:52:15+00:00','a6574103',0,1.0);
INSERT INTO "progress_events" VALUES(18,'2026-12-02T01:52:15+00:00','a6574103',2,1.0);
INSERT INTO "progress_events" VALUES(18,'2026-12-02T01:52:16+00:00','3c874cb7',0,1.0);
INSERT INTO "progress_events" VALUES(19,'2026-12-02T01:52:15+00:00','a6574103',0,1.0);
INSERT INTO "progress_events" VALUES(19,'2026-12-02T01:52:15+00:00','a6574103',2,1.0);
INSERT INTO "progress_events" VALUES(19,'2026-12-02T01:52:16+00:00','3c874cb7',0,1.0);
INSERT INTO "progress_events" VALUES(20,'2026-12-02T01:52:15+00:00','a6574103',1,0.0);
INSERT INTO "progress_events" VALUES(20,'2026-12-02T01:52:16+00:00','3c874cb7',0,0.25);
INSERT INTO "progress_events" VALUES(21,'2026-12-02T01:52:15+00:00','a6574103',2,0.75);
INSERT INTO "progress_events" VALUES(22,'2026-12-02T01:52:15+00:00','a6574103',2,0.75);
INSERT INTO "progress_events" VALUES(23,'2026-12-02T01:52:15+00:00','a6574103',2,0.75);
INSERT INTO "progress_events" VALUES(24,'2026-12-02T01:52:15+00:00','a6574103',2,0.75);
INSERT INTO "progress_events" VALUES(25,'2026-12-02T01:52:15+00:00','a6574103',2,0.75);
INSERT INTO "progress_events" VALUES(26,'2026-12-02T01:52:15+00:00','a6574103',2,1.0);
INSERT INTO "progress_events" VALUES(27,'2026-12-02T01:52:15+00:00','a6574103',2,1.0);
INSERT INTO "progress_events" VALUES(28,'2026-12-02T01:52:15+00:00','a6574103',2,1.0);
INSERT INTO "progress_events" VALUES(29,'2026-12-02T01:52:15+00:00','a6574103',2,1.0);
INSERT INTO "progress_events" VALUES(30,'2026-12-02T01:52:15+00:00','a6574103',2,0.5);
INSERT INTO "progress_events" VALUES(31,'2026-12-02T01:52:15+00:00','a6574103',2,0.0);
INSERT INTO "progress_events" VALUES(32,'2026-12-02T01:52:15+00:00','a6574103',2,1.0);
INSERT INTO "progress_events" VALUES(33,'2026-12-02T01:52:15+00:00','a6574103',2,1.0);
INSERT INTO "progress_events" VALUES(34,'2026-12-02T01:52:15+00:00','a6574103',2,1.0);
INSERT INTO "progress_events" VALUES(35,'2026-12-02T01:52:16+00:00','3c874cb7',0,0.25);
INSERT INTO "progress_events" VALUES(36,'2026-12-02T01:52:16+00:00','3c874cb7',0,1.0);
INSERT INTO "progress_events" VALUES(37,'2026-12-02T01:52:16+00:00','3c874cb7',0,0.0);
INSERT INTO "progress_events" VALUES(38,'2026-12-02T01:52:16+00:00','3c874cb7',0,0.0);
INSERT INTO "progress_events" VALUES(39,'2026-12-02T01:52:16+00:00','3c874cb7',0,1.0);
INSERT INTO "progress_events" VALUES(40,'2026-12-02T01:52:16+00:00','3c874cb7',0,0.0);
INSERT INTO "progress_events" VALUES(41,'2026-12-02T01:52:16+00:00','3c874cb7',0,0.0);
INSERT INTO "progress_events" VALUES(42,'2026-12-02T01:52:16+00:00','3c874cb7',0,0.0);
INSERT INTO "progress_events" VALUES(43,'2026-12-02T01:52:16+00:00','3c874cb7',0,0.0);
INSERT INTO "progress_events" VALUES(44,'2026-12-02T01:52:16+00:00','3c874cb7',0,1.0);
INSERT INTO "progress_events" VALUES(45,'2026-12-02T01:52:16+00:00','3c874cb7',0,1.0);
INSERT INTO "progress_events" VALUES(46,'2026-12-02T01:52:16+00:00','3c874cb7',0,1.0);
INSERT INTO "progress_events" VALUES(47,'2026-12-02T01:52:16+00:00','3c874cb7',0,1.0);
CREATE TABLE progress_item_questions (
  item_id integer not null, question_id text not null, count integer not null,
  primary key (item_id, question_id)) without rowid;
INSERT INTO "progress_item_questions" VALUES(1,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(2,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(2,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(3,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(3,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(4,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(5,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(6,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(7,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(8,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(9,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(10,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(11,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(12,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(12,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(12,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(13,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(13,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(13,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(14,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(14,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(14,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(15,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(15,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(15,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(16,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(16,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(16,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(17,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(17,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(17,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(18,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(18,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(18,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(19,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(19,'technical.bias-variance',1);
INSERT INTO "progress_item_questions" VALUES(19,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(20,'technical.gradient-descent',2);
INSERT INTO "progress_item_questions" VALUES(21,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(22,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(23,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(24,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(25,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(26,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(27,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(28,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(29,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(30,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(31,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(32,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(33,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(34,'applied-ml.why-tests',1);
INSERT INTO "progress_item_questions" VALUES(35,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(36,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(37,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(38,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(39,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(40,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(41,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(42,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(43,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(44,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(45,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(46,'technical.gradient-descent',1);
INSERT INTO "progress_item_questions" VALUES(47,'technical.gradient-descent',1);
CREATE TABLE progress_items (
  id integer primary key, kind text not null, key text not null, n integer not null default 0,
  total real not null default 0, mean real, estimate real,
  spread real, confidence text, trend real, trend_label text, first_at text, last_at text, last_value real,
  questions text, stages text, due_at text, lapses integer, stability real, difficulty real, state integer, step integer, last_review text,
  unique (kind, key));
INSERT INTO "progress_items" VALUES(1,'question','technical.bias-variance',1,0.75,0.75,0.75,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',0.75,'["technical.bias-variance"]','["technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(2,'competency','machine-learning-fundamentals',2,1.0,0.5,0.4559,0.1777,'low',-0.5,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:16+00:00',0.25,'["technical.bias-variance", "technical.gradient-descent"]','["technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(3,'competency','model-evaluation-optimization',2,1.0,0.5,0.4559,0.1777,'low',-0.5,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:16+00:00',0.25,'["technical.bias-variance", "technical.gradient-descent"]','["technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(4,'competency','algorithm-knowledge-selection',1,0.75,0.75,0.75,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',0.75,'["technical.bias-variance"]','["technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(5,'area','Definition of bias and variance in machine learning context',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',1.0,'["technical.bias-variance"]','["technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(6,'area','Relationship between bias, variance, and prediction error',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',1.0,'["technical.bias-variance"]','["technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(7,'area','How model complexity affects this tradeoff',1,0.0,0.0,0.0,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',0.0,'["technical.bias-variance"]','["technical"]','2026-12-02T01:52:15+00:00',1,0.212,6.4133,1,0,'2026-12-02T01:52:15+00:00');
INSERT INTO "progress_items" VALUES(8,'area','Detection of high bias vs. high variance',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',1.0,'["technical.bias-variance"]','["technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(9,'area','Strategies for finding optimal balance',1,0.0,0.0,0.0,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',0.0,'["technical.bias-variance"]','["technical"]','2026-12-02T01:52:15+00:00',1,0.212,6.4133,1,0,'2026-12-02T01:52:15+00:00');
INSERT INTO "progress_items" VALUES(10,'area','Connection to overfitting and underfitting',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',1.0,'["technical.bias-variance"]','["technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(11,'area','Practical implications for model selection and tuning',1,0.0,0.0,0.0,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',0.0,'["technical.bias-variance"]','["technical"]','2026-12-02T01:52:15+00:00',1,0.212,6.4133,1,0,'2026-12-02T01:52:15+00:00');
INSERT INTO "progress_items" VALUES(12,'check','disparages-others',3,3.0,1.0,1.0,0.0841,'medium',0.0,'steady','2026-12-02T01:52:15+00:00','2026-12-02T01:52:16+00:00',1.0,'["applied-ml.why-tests", "technical.bias-variance", "technical.gradient-descent"]','["applied-ml", "technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(13,'check','not-an-echo',3,3.0,1.0,1.0,0.0841,'medium',0.0,'steady','2026-12-02T01:52:15+00:00','2026-12-02T01:52:16+00:00',1.0,'["applied-ml.why-tests", "technical.bias-variance", "technical.gradient-descent"]','["applied-ml", "technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(14,'check','no-grader-instructions',3,3.0,1.0,1.0,0.0841,'medium',0.0,'steady','2026-12-02T01:52:15+00:00','2026-12-02T01:52:16+00:00',1.0,'["applied-ml.why-tests", "technical.bias-variance", "technical.gradient-descent"]','["applied-ml", "technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(15,'check','not-keyword-salad',3,3.0,1.0,1.0,0.0841,'medium',0.0,'steady','2026-12-02T01:52:15+00:00','2026-12-02T01:52:16+00:00',1.0,'["applied-ml.why-tests", "technical.bias-variance", "technical.gradient-descent"]','["applied-ml", "technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(16,'check','substance-over-buzzwords',3,3.0,1.0,1.0,0.0841,'medium',0.0,'steady','2026-12-02T01:52:15+00:00','2026-12-02T01:52:16+00:00',1.0,'["applied-ml.why-tests", "technical.bias-variance", "technical.gradient-descent"]','["applied-ml", "technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(17,'check','commits-to-an-answer',3,3.0,1.0,1.0,0.0841,'medium',0.0,'steady','2026-12-02T01:52:15+00:00','2026-12-02T01:52:16+00:00',1.0,'["applied-ml.why-tests", "technical.bias-variance", "technical.gradient-descent"]','["applied-ml", "technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(18,'check','stays-on-point',3,3.0,1.0,1.0,0.0841,'medium',0.0,'steady','2026-12-02T01:52:15+00:00','2026-12-02T01:52:16+00:00',1.0,'["applied-ml.why-tests", "technical.bias-variance", "technical.gradient-descent"]','["applied-ml", "technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(19,'check','on-topic',3,3.0,1.0,1.0,0.0841,'medium',0.0,'steady','2026-12-02T01:52:15+00:00','2026-12-02T01:52:16+00:00',1.0,'["applied-ml.why-tests", "technical.bias-variance", "technical.gradient-descent"]','["applied-ml", "technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(20,'question','technical.gradient-descent',2,0.25,0.125,0.1471,0.1298,'low',0.25,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:16+00:00',0.25,'["technical.gradient-descent"]','["technical"]','2026-12-02T01:52:16+00:00',2,8.33567171103160448053e-02,8.80630446885683682012e+00,1,0,'2026-12-02T01:52:16+00:00');
INSERT INTO "progress_items" VALUES(21,'question','applied-ml.why-tests',1,0.75,0.75,0.75,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',0.75,'["applied-ml.why-tests"]','["applied-ml"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(22,'competency','practical-problem-solving',1,0.75,0.75,0.75,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',0.75,'["applied-ml.why-tests"]','["applied-ml"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(23,'competency','model-deployment-operations',1,0.75,0.75,0.75,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',0.75,'["applied-ml.why-tests"]','["applied-ml"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(24,'competency','data-engineering-for-ml',1,0.75,0.75,0.75,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',0.75,'["applied-ml.why-tests"]','["applied-ml"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(25,'competency','deploy-to-production',1,0.75,0.75,0.75,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',0.75,'["applied-ml.why-tests"]','["applied-ml"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(26,'area','What tests are for: correctness and safe change, not only speed',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',1.0,'["applied-ml.why-tests"]','["applied-ml"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(27,'area','Unit tests for preprocessing and feature code',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',1.0,'["applied-ml.why-tests"]','["applied-ml"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(28,'area','Validation of input and training data',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',1.0,'["applied-ml.why-tests"]','["applied-ml"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(29,'area','Model quality checks against agreed thresholds',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',1.0,'["applied-ml.why-tests"]','["applied-ml"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(30,'area','Regression tests with fixed inputs and expected outputs',1,0.5,0.5,0.5,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',0.5,'["applied-ml.why-tests"]','["applied-ml"]','2026-12-02T01:52:15+00:00',1,1.2931,5.11217070560105568688e+00,1,0,'2026-12-02T01:52:15+00:00');
INSERT INTO "progress_items" VALUES(31,'area','Running the tests automatically in CI',1,0.0,0.0,0.0,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',0.0,'["applied-ml.why-tests"]','["applied-ml"]','2026-12-02T01:52:15+00:00',1,0.212,6.4133,1,0,'2026-12-02T01:52:15+00:00');
INSERT INTO "progress_items" VALUES(32,'check','mentions-tests',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',1.0,'["applied-ml.why-tests"]','["applied-ml"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(33,'check','no-production-experience',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',1.0,'["applied-ml.why-tests"]','["applied-ml"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(34,'check','production-awareness',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00',1.0,'["applied-ml.why-tests"]','["applied-ml"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(35,'competency','deep-learning-knowledge',1,0.25,0.25,0.25,0.1768,'low',0.0,'new','2026-12-02T01:52:16+00:00','2026-12-02T01:52:16+00:00',0.25,'["technical.gradient-descent"]','["technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(36,'area','Basic gradient descent algorithm explanation',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:16+00:00','2026-12-02T01:52:16+00:00',1.0,'["technical.gradient-descent"]','["technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(37,'area','Variants: batch, mini-batch, stochastic',1,0.0,0.0,0.0,0.1768,'low',0.0,'new','2026-12-02T01:52:16+00:00','2026-12-02T01:52:16+00:00',0.0,'["technical.gradient-descent"]','["technical"]','2026-12-02T01:52:16+00:00',1,0.212,6.4133,1,0,'2026-12-02T01:52:16+00:00');
INSERT INTO "progress_items" VALUES(38,'area','Advanced optimizers: Adam, RMSprop, Adagrad',1,0.0,0.0,0.0,0.1768,'low',0.0,'new','2026-12-02T01:52:16+00:00','2026-12-02T01:52:16+00:00',0.0,'["technical.gradient-descent"]','["technical"]','2026-12-02T01:52:16+00:00',1,0.212,6.4133,1,0,'2026-12-02T01:52:16+00:00');
INSERT INTO "progress_items" VALUES(39,'area','Learning rate selection and scheduling',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:16+00:00','2026-12-02T01:52:16+00:00',1.0,'["technical.gradient-descent"]','["technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(40,'area','Convergence properties and challenges',1,0.0,0.0,0.0,0.1768,'low',0.0,'new','2026-12-02T01:52:16+00:00','2026-12-02T01:52:16+00:00',0.0,'["technical.gradient-descent"]','["technical"]','2026-12-02T01:52:16+00:00',1,0.212,6.4133,1,0,'2026-12-02T01:52:16+00:00');
INSERT INTO "progress_items" VALUES(41,'area','Handling local minima and saddle points',1,0.0,0.0,0.0,0.1768,'low',0.0,'new','2026-12-02T01:52:16+00:00','2026-12-02T01:52:16+00:00',0.0,'["technical.gradient-descent"]','["technical"]','2026-12-02T01:52:16+00:00',1,0.212,6.4133,1,0,'2026-12-02T01:52:16+00:00');
INSERT INTO "progress_items" VALUES(42,'area','Computational efficiency considerations',1,0.0,0.0,0.0,0.1768,'low',0.0,'new','2026-12-02T01:52:16+00:00','2026-12-02T01:52:16+00:00',0.0,'["technical.gradient-descent"]','["technical"]','2026-12-02T01:52:16+00:00',1,0.212,6.4133,1,0,'2026-12-02T01:52:16+00:00');
INSERT INTO "progress_items" VALUES(43,'area','Practical implementation considerations',1,0.0,0.0,0.0,0.1768,'low',0.0,'new','2026-12-02T01:52:16+00:00','2026-12-02T01:52:16+00:00',0.0,'["technical.gradient-descent"]','["technical"]','2026-12-02T01:52:16+00:00',1,0.212,6.4133,1,0,'2026-12-02T01:52:16+00:00');
INSERT INTO "progress_items" VALUES(44,'delivery','pace',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:16+00:00','2026-12-02T01:52:16+00:00',1.0,'["technical.gradient-descent"]','["technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(45,'delivery','fillers',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:16+00:00','2026-12-02T01:52:16+00:00',1.0,'["technical.gradient-descent"]','["technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(46,'delivery','pauses',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:16+00:00','2026-12-02T01:52:16+00:00',1.0,'["technical.gradient-descent"]','["technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO "progress_items" VALUES(47,'delivery','focus',1,1.0,1.0,1.0,0.1768,'low',0.0,'new','2026-12-02T01:52:16+00:00','2026-12-02T01:52:16+00:00',1.0,'["technical.gradient-descent"]','["technical"]',NULL,0,NULL,NULL,NULL,NULL,NULL);
CREATE TABLE progress_parameters (
  id integer primary key check (id = 1), parameters text not null, reviews integer not null, fitted_at text not null);
CREATE TABLE "sessions" (
   "id" TEXT PRIMARY KEY,
   "created_at" TEXT NOT NULL,
   "updated_at" TEXT,
   "status" TEXT NOT NULL,
   "stages" TEXT,
   "judge" TEXT,
   "question_count" INTEGER,
   "answered" INTEGER,
   "overall" REAL,
   "ended_early" INTEGER,
   "plan" TEXT NOT NULL,
   "state" TEXT NOT NULL,
   "report" TEXT
);
INSERT INTO "sessions" VALUES('a6574103','2026-12-02T01:52:14+00:00','2026-12-02T01:52:15+00:00','finished','technical,applied-ml','offline',3,2,2.0,0,'{"stages":["technical","applied-ml"],"question_ids":["technical.bias-variance","technical.gradient-descent","applied-ml.why-tests"],"seed":null,"time_per_question":null,"max_follow_ups":0,"interviewer":"offline","kind":"interview","reasons":{}}','{"plan":{"stages":["technical","applied-ml"],"question_ids":["technical.bias-variance","technical.gradient-descent","applied-ml.why-tests"],"seed":null,"time_per_question":null,"max_follow_ups":0,"interviewer":"offline","kind":"interview","reasons":{}},"status":"finished","ended_early":false,"turns":[{"position":0,"question_id":"technical.bias-variance","exchanges":[{"kind":"question","prompt":"Explain the bias-variance tradeoff and how it affects model selection.","target_area":null,"answer":"Bias is error from wrong assumptions, so the model underfits; variance is sensitivity to the training sample, so it\noverfits. More capacity lowers bias and raises variance. I would compare training and validation error: both high\nmeans bias, a large gap means variance, and I would regularise, add data or simplify the model accordingly.","seconds":null,"reason":null,"source":null,"offline_prompt":null,"red_flag":null,"statement":null,"misconception":null}],"hints":[],"repeats":0,"status":"answered"},{"position":1,"question_id":"technical.gradient-descent","exchanges":[{"kind":"question","prompt":"Explain how gradient descent works and discuss some of its variants. What are the tradeoffs?","target_area":null,"answer":null,"seconds":null,"reason":null,"source":null,"offline_prompt":null,"red_flag":null,"statement":null,"misconception":null}],"hints":[],"repeats":0,"status":"skipped"},{"position":2,"question_id":"applied-ml.why-tests","exchanges":[{"kind":"question","prompt":"Why do we write tests for machine learning code, and what would you test in an ML project?","target_area":null,"answer":"We test ML code because silent failures are common: a shifted feature or a broken join still trains a model.\nI write unit tests for feature code, data validation on inputs, and model quality checks against agreed thresholds\nbefore a release, plus monitoring after it.","seconds":null,"reason":null,"source":null,"offline_prompt":null,"red_flag":null,"statement":null,"misconception":null}],"hints":[],"repeats":0,"status":"answered"}]}','{"scorecards":[{"stage":"technical","title":"Technical interview","competencies":[{"id":"machine-learning-fundamentals","name":"Machine Learning Fundamentals","scorecard":"Technical interview scorecard","score":2,"mean":1.5,"anchor":"Basic understanding of common concepts but lacks depth or nuance","informed_by":["technical.bias-variance","technical.gradient-descent"]},{"id":"algorithm-knowledge-selection","name":"Algorithm Knowledge & Selection","scorecard":"Technical interview scorecard","score":3,"mean":3.0,"anchor":"Comprehensive knowledge of various algorithms with clear reasoning for selection","informed_by":["technical.bias-variance"]},{"id":"model-evaluation-optimization","name":"Model Evaluation & Optimization","scorecard":"Technical interview scorecard","score":2,"mean":1.5,"anchor":"Understands common evaluation methods but lacks depth in optimization techniques","informed_by":["technical.bias-variance","technical.gradient-descent"]},{"id":"deep-learning-knowledge","name":"Deep Learning Knowledge","scorecard":"Technical interview scorecard","score":1,"mean":0.0,"anchor":"Basic familiarity but significant gaps in understanding core concepts","informed_by":["technical.gradient-descent"]},{"id":"ml-systems-production","name":"ML Systems & Production","scorecard":"Technical interview scorecard","score":0,"mean":null,"anchor":"Not Enough Information Gathered to Evaluate","informed_by":[]}],"outcomes":[{"id":"deploy-to-production","name":"Successfully deploy ML models to production","scorecard":"Desired outcomes","score":0,"mean":null,"anchor":"Not Enough Information Gathered to Evaluate","informed_by":[]},{"id":"reduce-latency","name":"Reduce model training time and/or inference latency","scorecard":"Desired outcomes","score":0,"mean":null,"anchor":"Not Enough Information Gathered to Evaluate","informed_by":[]},{"id":"monitoring","name":"Implement robust monitoring systems","scorecard":"Desired outcomes","score":0,"mean":null,"anchor":"Not Enough Information Gathered to Evaluate","informed_by":[]},{"id":"documentation","name":"Contribute to technical documentation","scorecard":"Desired outcomes","score":0,"mean":null,"anchor":"Not Enough Information Gathered to Evaluate","informed_by":[]},{"id":"cross-functional","name":"Collaborate with cross-functional teams","scorecard":"Desired outcomes","score":0,"mean":null,"anchor":"Not Enough Information Gathered to Evaluate","informed_by":[]}]},{"stage":"applied-ml","title":"Applied ML interview","competencies":[{"id":"ml-system-design","name":"ML System Design","scorecard":"Applied ML interview scorecard","score":0,"mean":null,"anchor":"Not Enough Information Gathered to Evaluate","informed_by":[]},{"id":"practical-problem-solving","name":"Practical Problem-Solving","scorecard":"Applied ML interview scorecard","score":3,"mean":3.0,"anchor":"Effectively solves diverse ML challenges with structured approaches and clear reasoning","informed_by":["applied-ml.why-tests"]},{"id":"model-deployment-operations","name":"Model Deployment & Operations","scorecard":"Applied ML interview scorecard","score":3,"mean":3.0,"anchor":"Strong understanding of MLOps with experience in deployment, monitoring, and maintenance","informed_by":["applied-ml.why-tests"]},{"id":"performance-optimization","name":"Performance Optimization","scorecard":"Applied ML interview scorecard","score":0,"mean":null,"anchor":"Not Enough Information Gathered to Evaluate","informed_by":[]},{"id":"data-engineering-for-ml","name":"Data Engineering for ML","scorecard":"Applied ML interview scorecard","score":3,"mean":3.0,"anchor":"Strong data engineering capabilities with experience building robust ML data pipelines","informed_by":["applied-ml.why-tests"]}],"outcomes":[{"id":"deploy-to-production","name":"Successfully deploy ML models to production","scorecard":"Desired outcomes","score":3,"mean":3.0,"anchor":"Likely to Successfully Deploy Models to Production","informed_by":["applied-ml.why-tests"]},{"id":"reduce-latency","name":"Reduce model training time and/or inference latency","scorecard":"Desired outcomes","score":0,"mean":null,"anchor":"Not Enough Information Gathered to Evaluate","informed_by":[]},{"id":"monitoring","name":"Implement robust monitoring systems","scorecard":"Desired outcomes","score":0,"mean":null,"anchor":"Not Enough Information Gathered to Evaluate","informed_by":[]},{"id":"documentation","name":"Contribute to technical documentation","scorecard":"Desired outcomes","score":0,"mean":null,"anchor":"Not Enough Information Gathered to Evaluate","informed_by":[]},{"id":"cross-functional","name":"Collaborate with cross-functional teams","scorecard":"Desired outcomes","score":0,"mean":null,"anchor":"Not Enough Information Gathered to Evaluate","informed_by":[]}]}],"recommendation":{"level":2,"label":"No Hire","reasons":["Average across 7 assessed competencies: 2.1 of 4.","Strongest: Algorithm Knowledge & Selection (3.0 of 4).","Weakest: Deep Learning Knowledge (0.0 of 4).","Not assessed: ML Systems & Production, ML System Design, Performance Optimization."]},"practice":null,"debrief":{"strongest":{"position":0,"question_id":"technical.bias-variance","question":"Explain the bias-variance tradeoff and how it affects model selection.","score":3.0},"weakest":null,"missed_areas":{"technical.bias-variance":["How model complexity affects this tradeoff","Strategies for finding optimal balance","Practical implications for model selection and tuning"],"applied-ml.why-tests":["Running the tests automatically in CI"]},"skipped":["technical.gradient-descent"],"hints_used":0,"written":null,"written_by":null},"overall":2.0,"answered":2,"planned":3}');
INSERT INTO "sessions" VALUES('3c874cb7','2026-12-02T01:52:15+00:00','2026-12-02T01:52:15+00:00','active','technical','offline',2,1,NULL,0,'{"stages":["technical"],"question_ids":["technical.gradient-descent","technical.bias-variance"],"seed":null,"time_per_question":null,"max_follow_ups":0,"interviewer":"offline","kind":"interview","reasons":{}}','{"plan":{"stages":["technical"],"question_ids":["technical.gradient-descent","technical.bias-variance"],"seed":null,"time_per_question":null,"max_follow_ups":0,"interviewer":"offline","kind":"interview","reasons":{}},"status":"active","ended_early":false,"turns":[{"position":0,"question_id":"technical.gradient-descent","exchanges":[{"kind":"question","prompt":"Explain how gradient descent works and discuss some of its variants. What are the tradeoffs?","target_area":null,"answer":"Gradient descent steps against the gradient of the loss; the learning rate sets the step size.","seconds":null,"reason":null,"source":null,"offline_prompt":null,"red_flag":null,"statement":null,"misconception":null}],"hints":[],"repeats":0,"status":"answered"},{"position":1,"question_id":"technical.bias-variance","exchanges":[{"kind":"question","prompt":"Explain the bias-variance tradeoff and how it affects model selection.","target_area":null,"answer":null,"seconds":null,"reason":null,"source":null,"offline_prompt":null,"red_flag":null,"statement":null,"misconception":null}],"hints":[],"repeats":0,"status":"open"}]}',NULL);
CREATE TABLE "spoken_answers" (
   "session_id" TEXT REFERENCES "sessions"("id"),
   "position" INTEGER,
   "idx" INTEGER,
   "audio_path" TEXT,
   "raw_text" TEXT,
   "words" TEXT,
   "duration" REAL,
   "backend" TEXT,
   "model" TEXT,
   "delivery" TEXT,
   "created_at" TEXT,
   PRIMARY KEY ("session_id", "position", "idx")
);
INSERT INTO "spoken_answers" VALUES('3c874cb7',0,0,'recordings/q1-1.wav','um Gradient descent steps against the gradient of the loss; the learning rate sets the step size.','[{"text": "Gradient", "start": 0.0, "end": 0.3, "probability": null}, {"text": "descent", "start": 0.4, "end": 0.7, "probability": null}, {"text": "steps", "start": 0.8, "end": 1.1, "probability": null}, {"text": "against", "start": 1.2000000000000002, "end": 1.5000000000000002, "probability": null}, {"text": "the", "start": 1.6, "end": 1.9000000000000001, "probability": null}, {"text": "gradient", "start": 2.0, "end": 2.3, "probability": null}, {"text": "of", "start": 2.4000000000000004, "end": 2.7, "probability": null}, {"text": "the", "start": 2.8000000000000003, "end": 3.1, "probability": null}, {"text": "loss;", "start": 3.2, "end": 3.5, "probability": null}, {"text": "the", "start": 3.6, "end": 3.9, "probability": null}, {"text": "learning", "start": 4.0, "end": 4.3, "probability": null}, {"text": "rate", "start": 4.4, "end": 4.7, "probability": null}, {"text": "sets", "start": 4.800000000000001, "end": 5.1000000000000005, "probability": null}, {"text": "the", "start": 5.2, "end": 5.5, "probability": null}, {"text": "step", "start": 5.6000000000000005, "end": 5.9, "probability": null}, {"text": "size.", "start": 6.0, "end": 6.3, "probability": null}]',8.0,'faster-whisper','base','{"duration":8.0,"talk_seconds":6.3,"words":16,"wpm":152.4,"fillers":[],"fillers_per_minute":0.0,"long_pauses":[],"time_limit":null,"point_at":4.7,"after_point_seconds":1.6,"checks":[{"id":"pace","label":"Pace","passed":true,"detail":"152 words a minute"},{"id":"fillers","label":"Filler words","passed":true,"detail":"0 (0 a minute: none); aim for at most 4 a minute"},{"id":"pauses","label":"Long pauses","passed":true,"detail":"0 of 2 s or more"},{"id":"focus","label":"Stopping at the point","passed":true,"detail":"point made at 0:05 of 0:06"}]}','2026-12-02T01:52:15+00:00');
CREATE TABLE "turns" (
   "session_id" TEXT REFERENCES "sessions"("id"),
   "position" INTEGER,
   "question_id" TEXT,
   "stage" TEXT,
   "question" TEXT,
   "status" TEXT,
   "hints" TEXT,
   "repeats" INTEGER,
   "seconds" REAL,
   "score" REAL,
   PRIMARY KEY ("session_id", "position")
);
INSERT INTO "turns" VALUES('a6574103',0,'technical.bias-variance','technical','Explain the bias-variance tradeoff and how it affects model selection.','answered','[]',0,0.0,3.0);
INSERT INTO "turns" VALUES('a6574103',1,'technical.gradient-descent','technical','Explain how gradient descent works and discuss some of its variants. What are the tradeoffs?','skipped','[]',0,0.0,NULL);
INSERT INTO "turns" VALUES('a6574103',2,'applied-ml.why-tests','applied-ml','Why do we write tests for machine learning code, and what would you test in an ML project?','answered','[]',0,0.0,3.0);
INSERT INTO "turns" VALUES('3c874cb7',0,'technical.gradient-descent','technical','Explain how gradient descent works and discuss some of its variants. What are the tradeoffs?','answered','[]',0,0.0,1.0);
INSERT INTO "turns" VALUES('3c874cb7',1,'technical.bias-variance','technical','Explain the bias-variance tradeoff and how it affects model selection.','open','[]',0,0.0,NULL);
CREATE INDEX "idx_sessions_created_at"
    ON "sessions" ("created_at");
CREATE INDEX "idx_sessions_status"
    ON "sessions" ("status");
CREATE INDEX "idx_llm_calls_session_id"
    ON "llm_calls" ("session_id");
CREATE INDEX idx_progress_items_due on progress_items (due_at);
CREATE INDEX idx_progress_events_answer on progress_events (session_id, position);
COMMIT;
