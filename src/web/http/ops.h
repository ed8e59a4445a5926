/* eimza — the operations' routes (web/http/ops.c): GET /healthz (is this process able to serve:
 * the database answers), GET /readyz (should traffic come here: the database answers, its
 * schema is the one this binary needs, the background senders work, the server is not
 * stopping) and GET /metrics (Prometheus text: this process's HTTP figures per route, what its
 * requests asked of the database, its e-signature checks, and the business figures of the
 * whole database). None shows personal data. */
#ifndef EIMZA_WEB_HTTP_OPS_H
#define EIMZA_WEB_HTTP_OPS_H

#include "web/http/request.h"

enum web_err web_h_healthz(struct web_req *rq);
enum web_err web_h_readyz(struct web_req *rq);
enum web_err web_h_metrics(struct web_req *rq);

#endif
