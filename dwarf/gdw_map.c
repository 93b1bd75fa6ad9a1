/* A small string-keyed open-addressing hash map (keys are borrowed). */
#include "gdw_internal.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	while (*s)
		h = (h ^ (uint8_t)*s++) * 1099511628211ull;
	return h;
}

static int resize(gdw_map *m, size_t cap)
{
	gdw_map_ent *nt = calloc(cap, sizeof(*nt));
	if (!nt)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->tab[i].key)
			continue;
		size_t j = hash_str(m->tab[i].key) & (cap - 1);
		while (nt[j].key)
			j = (j + 1) & (cap - 1);
		nt[j] = m->tab[i];
	}
	free(m->tab);
	m->tab = nt;
	m->cap = cap;
	return 0;
}

static int grow(gdw_map *m)
{
	return resize(m, m->cap ? m->cap * 2 : 64);
}

int gdw__map_reserve(gdw_map *m, size_t n)
{
	size_t cap = 64;
	while (cap < 2 * n)
		cap *= 2;
	return cap > m->cap ? resize(m, cap) : 0;
}

int gdw__map_put(gdw_map *m, const char *key, size_t val, int replace)
{
	if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
		return -1;
	size_t j = hash_str(key) & (m->cap - 1);
	while (m->tab[j].key) {
		if (strcmp(m->tab[j].key, key) == 0) {
			if (replace)
				m->tab[j].val = val;
			return 0;
		}
		j = (j + 1) & (m->cap - 1);
	}
	m->tab[j].key = key;
	m->tab[j].val = val;
	m->n++;
	return 0;
}

int gdw__map_get(const gdw_map *m, const char *key, size_t *val)
{
	if (!m->cap)
		return GD_ENOTFOUND;
	size_t j = hash_str(key) & (m->cap - 1);
	while (m->tab[j].key) {
		if (strcmp(m->tab[j].key, key) == 0) {
			*val = m->tab[j].val;
			return 0;
		}
		j = (j + 1) & (m->cap - 1);
	}
	return GD_ENOTFOUND;
}

void gdw__map_free(gdw_map *m)
{
	free(m->tab);
	m->tab = NULL;
	m->cap = m->n = 0;
}
