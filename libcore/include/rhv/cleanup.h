/*
 * Ownership made visible in declarations: a variable declared with one of
 * these attributes is released when it goes out of scope.  TAKE_PTR() hands
 * the pointer out of the guarded scope.
 */
#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define RHV_DEFINE_CLEANUP(type, func)                                      \
	static inline void func##_cleanup(type *p)                          \
	{                                                                   \
		if (*p)                                                     \
			func(*p);                                           \
	}

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void rhv_freep(void *p)
{
	free(*(void **)p);
}
#define _cleanup_free_ _cleanup_(rhv_freep)

static inline void rhv_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}
#define _cleanup_fclose_ _cleanup_(rhv_fclosep)

static inline void rhv_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define _cleanup_close_ _cleanup_(rhv_closep)

#define TAKE_PTR(p)                                                         \
	({                                                                  \
		__typeof__(p) _taken = (p);                                 \
		(p) = NULL;                                                 \
		_taken;                                                     \
	})
