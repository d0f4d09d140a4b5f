/* findings.h: the analysis step that decides a call's findings (internal
 * to src/model/; sl_call_analyze runs it). */
#ifndef SL_MODEL_FINDINGS_H
#define SL_MODEL_FINDINGS_H

#include "model/model.h"

/* Replaces call->findings with those of the call as it is now, in time
 * order. SL_ENOMEM leaves none. */
enum sl_err sl_model_findings(struct sl_call *call);

#endif
