// Zoo: the detectors a study compares — layers, backbones, necks and the Detect head — built on
// Engine. Its contents arrive with the model-zoo issue (#4); until then this module is empty.
