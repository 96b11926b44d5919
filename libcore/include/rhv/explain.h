/*
 * The scheduler's reasoning through the output layer: every host, its
 * verdict and weight (rhv-vm start/migrate --explain, rhv-balance explain).
 */
#pragma once

#include <stdio.h>
#include "rhv/common.h"
#include "rhv/placement.h"

/* Print the scheduler's reasoning as a table: every host, its verdict and weight. */
void rhv_placement_print(const struct rhv_placement *p, FILE *out);
