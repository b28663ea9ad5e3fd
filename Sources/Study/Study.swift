// Study: study.toml parsing, grid expansion, the trainer, checkpoints and the recommendation.
// Empty until the study-runner issue lands; `studyctl run` does not exist before then.
