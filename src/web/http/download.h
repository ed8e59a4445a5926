/* eimza — the signing agent's packages, downloaded from the portal (web/http/): GET
 * /indir/eimza-agent.deb and /indir/eimza-common.deb answer the newest
 * eimza-agent_VERSION_ARCH.deb and eimza-common_VERSION_ARCH.deb of the agent_packages_dir
 * setting (the folder scripts/build-deb.sh --out writes), under those fixed names, so the
 * signing page's two-line instructions never change with a version. Nothing else in the folder
 * is reachable; without the setting the route is 404 and agent_download_url points elsewhere
 * (docs/DEPLOYMENT.md). */
#ifndef EIMZA_WEB_HTTP_DOWNLOAD_H
#define EIMZA_WEB_HTTP_DOWNLOAD_H

#include "web/http/request.h"

/* GET /indir/{file}. */
enum web_err web_h_download(struct web_req *rq);

#endif
