/* SPDX-License-Identifier: GPL-3.0-or-later */
/* JSON output helpers shared by the report's JSON files. */
#include "config.h"

#include <math.h>

#include "report/data-private.h"

void
dmas_report_add_number (JsonBuilder *b, gdouble v)
{
  /* json-glib would print NaN as "nan", which no JSON reader accepts. */
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

void
dmas_report_member_number (JsonBuilder *b, const gchar *name, gdouble v)
{
  json_builder_set_member_name (b, name);
  dmas_report_add_number (b, v);
}

void
dmas_report_member_int (JsonBuilder *b, const gchar *name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

void
dmas_report_member_string (JsonBuilder *b, const gchar *name, const gchar *v)
{
  json_builder_set_member_name (b, name);
  if (v != NULL)
    json_builder_add_string_value (b, v);
  else
    json_builder_add_null_value (b);
}

void
dmas_report_member_null (JsonBuilder *b, const gchar *name)
{
  json_builder_set_member_name (b, name);
  json_builder_add_null_value (b);
}

void
dmas_report_member_bool (JsonBuilder *b, const gchar *name, gboolean v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, v);
}

gchar *
dmas_report_json_text (JsonNode *root, gboolean pretty)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_pretty (gen, pretty);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, root);
  g_autofree gchar *text = json_generator_to_data (gen, NULL);
  return g_strconcat (text, "\n", NULL);
}
