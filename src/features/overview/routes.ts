// GET / on a tenant host (registered by the host switch in features/site).
import type { Deps } from "../../app";
import type { PageAuth } from "../../identity/page-auth";
import type { Site } from "../../tenancy/hosts";
import { page, type HtmlSet } from "../../../views/render";
import { dailyActivity, overviewCounts, recentActivity } from "./queries";
import { OverviewContent } from "./views";

export function overviewPage(deps: Deps & { pageAuth: PageAuth }) {
  return async (request: Request, set: HtmlSet, site: Site) => {
    const { actor, shell } = await deps.pageAuth.requirePage(request, site, "member");
    const { counts, activity, days } = await deps.db.withTenantRead(actor.tenantId, async (tx) => ({
      counts: await overviewCounts(tx, actor.tenantId),
      activity: await recentActivity(tx, actor.tenantId),
      days: await dailyActivity(tx, actor.tenantId),
    }));
    const firstName = shell.user.name.split(" ")[0] ?? shell.user.name;
    return page(request, set, { ...shell, title: "Overview", active: "overview" }, OverviewContent({ counts, activity, days, firstName }));
  };
}
