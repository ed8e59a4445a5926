/* eimza — the operations' routes (web/http/ops.c): GET /healthz (is this process able to serve:
 * the database answers) and GET /metrics (Prometheus text from the server's counters). Neither
 * shows personal data. */
#ifndef EIMZA_WEB_HTTP_OPS_H
#define EIMZA_WEB_HTTP_OPS_H

#include "web/http/request.h"

enum web_err web_h_healthz(struct web_req *rq);
enum web_err web_h_metrics(struct web_req *rq);

#endif
