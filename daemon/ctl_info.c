// SPDX-License-Identifier: GPL-2.0
/*
 * voipwakectl info: the loaded module's version, features and limits.
 */

#include <stdbool.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

#include "ctl.h"

/* INFO_GET fields other than the version string, in output order. */
static const struct info_field {
	const char *key;
	uint32_t bit;
	size_t offset;
	bool is_features;
} info_fields[] = {
	{ "api_version", VW_INFO_HAS_API_VERSION,
	  offsetof(struct vw_info, api_version), false },
	{ "features", VW_INFO_HAS_FEATURES,
	  offsetof(struct vw_info, features), true },
	{ "wake_window_ms", VW_INFO_HAS_WAKE_WINDOW_MS,
	  offsetof(struct vw_info, wake_window_ms), false },
	{ "wake_window_max_ms", VW_INFO_HAS_WAKE_WINDOW_MAX_MS,
	  offsetof(struct vw_info, wake_window_max_ms), false },
	{ "max_socks_per_app", VW_INFO_HAS_MAX_SOCKS_PER_APP,
	  offsetof(struct vw_info, max_socks_per_app), false },
	{ "min_keepalive_s", VW_INFO_HAS_MIN_KEEPALIVE_S,
	  offsetof(struct vw_info, min_keepalive_s), false },
	{ "max_keepalive_s", VW_INFO_HAS_MAX_KEEPALIVE_S,
	  offsetof(struct vw_info, max_keepalive_s), false },
	{ "keepalive_tolerance_pct", VW_INFO_HAS_KEEPALIVE_TOLERANCE_PCT,
	  offsetof(struct vw_info, keepalive_tolerance_pct), false },
	{ "keepalive_budget_ms", VW_INFO_HAS_KEEPALIVE_BUDGET_MS,
	  offsetof(struct vw_info, keepalive_budget_ms), false },
};

static uint32_t info_value(const struct vw_info *info,
			   const struct info_field *f)
{
	return *(const uint32_t *)((const char *)info + f->offset);
}

static const struct {
	uint32_t bit;
	const char *name;
} feature_names[] = {
	{ VOIPWAKE_FEATURE_MARK_TCP, "mark_tcp" },
	{ VOIPWAKE_FEATURE_MARK_UDP, "mark_udp" },
	{ VOIPWAKE_FEATURE_FREEZE, "freeze" },
	{ VOIPWAKE_FEATURE_KEEPALIVE, "keepalive" },
	{ VOIPWAKE_FEATURE_WAKE_INTERVAL, "wake_interval" },
	{ VOIPWAKE_FEATURE_STATE_NTF, "state_ntf" },
	{ VOIPWAKE_FEATURE_UNMARK_NTF, "unmark_ntf" },
};

/* As "0x7 (mark_tcp,mark_udp,freeze)": unnamed bits still show in 0x7. */
static void features_text(uint32_t features, char *buf, size_t len)
{
	const char *sep = " (";
	size_t i, n;

	n = snprintf(buf, len, "0x%x", features);
	for (i = 0; i < ARRAY_SIZE(feature_names) && n < len; i++) {
		if (!(features & feature_names[i].bit))
			continue;
		n += snprintf(buf + n, len - n, "%s%s", sep,
			      feature_names[i].name);
		sep = ",";
	}
	if (sep[0] == ',' && n < len)
		snprintf(buf + n, len - n, ")");
}

/* One code path: "key: value" lines, or a JSON object. */
static void print_info(const struct vw_info *info)
{
	const struct info_field *f;
	char text[64], feat[256];
	bool has;

	print_string("version", "version: %s\n",
		     info->present & VW_INFO_HAS_VERSION ? info->version :
		     "(not reported)");
	for (f = info_fields; f < info_fields + ARRAY_SIZE(info_fields); f++) {
		has = info->present & f->bit;
		if (f->is_features && has) {
			features_text(info_value(info, f), feat, sizeof(feat));
			print_text("%s: %s\n", f->key, feat);
			print_u64(f->key, NULL, NULL, true, info_value(info, f));
			continue;
		}
		snprintf(text, sizeof(text), "%s: %%" PRIu64 "\n", f->key);
		if (!has)
			print_text("%s: (not reported)\n", f->key);
		print_u64(f->key, has ? text : NULL, NULL, has,
			  info_value(info, f));
	}
}

int ctl_info(int argc, char *argv[])
{
	struct vw_info info = { .size = sizeof(info) };
	struct ctl_args a;
	struct vw_client *c;
	int ret;

	ret = ctl_parse(argc, argv, CTL_OPT_JSON, 0, 0, &a);
	if (ret >= 0)
		return ret;
	ret = ctl_open(&c);
	if (ret)
		return ret;
	ret = vw_get_info(c, &info);
	if (ret) {
		ctl_report(c, ret, "cannot read the module's info");
		vw_close(c);
		return EXIT_FAIL;
	}
	vw_close(c);

	print_start(a.json);
	print_info(&info);
	return print_end() ? EXIT_FAIL : EXIT_OK;
}
