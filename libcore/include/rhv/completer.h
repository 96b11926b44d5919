/*
 * Completers: what the values of an option or argument can be.  The engine
 * owns the generic ones (free text, a file, the choices of "a|b|c"); the
 * modules that know the objects supply the rest (rhv/names.h).  A
 * completer is a row, not an engine call: it offers candidates through the
 * completion it is handed, and reaches the store through it too, so a
 * module below the engine can supply one.
 */
#pragma once

#include "rhv/common.h"

struct rhv_db;

/* What the engine hands a completer: the engine fills it, the completer only calls through it. */
struct rhv_completion {
	/* offer one candidate; kept when it starts with the word being completed */
	void (*offer)(struct rhv_completion *c, const char *candidate);
	/* the store named by --db, opened on first use; NULL when it is not there (offer nothing) */
	struct rhv_db *(*db)(struct rhv_completion *c);
	void *engine; /* the engine's own state */
};

struct rhv_completer {
	/*
	 * What a value names ("data center"), or NULL: a value of a named kind
	 * is checked as a lookup name before the store is opened, so a bad one
	 * is a usage error and never reaches a query.
	 */
	const char *names;
	void (*complete)(struct rhv_completion *c); /* NULL: the shell's own (files) or nothing */
};

static inline void rhv_offer(struct rhv_completion *c, const char *candidate)
{
	c->offer(c, candidate);
}

static inline struct rhv_db *rhv_completion_db(struct rhv_completion *c)
{
	return c->db(c);
}

/* Free text: nothing to complete. */
extern const struct rhv_completer rhv_complete_free;
/* A file name: left to the shell. */
extern const struct rhv_completer rhv_complete_file;
/* The choices the option's .arg lists ("a|b|c"); an option with such an .arg needs no completer. */
extern const struct rhv_completer rhv_complete_choices;

#define RHV_FREE (&rhv_complete_free)
#define RHV_FILE (&rhv_complete_file)
#define RHV_CHOICES (&rhv_complete_choices)
