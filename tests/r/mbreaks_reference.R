#!/usr/bin/env Rscript
# Reference values for ewp_stats.engines.breaks.bai_perron_tests, computed with R mbreaks 1.0.1
# (../shared/peers/mbreaks_1.0.1.tar.gz) in the non-robust case (prewhit = 0, robust = 0).
#
# Run from the repository root:
#   Rscript tests/r/mbreaks_reference.R tests/engines/reference/mbreaks_reference.json
suppressMessages({library(mbreaks); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else "tests/engines/reference/mbreaks_reference.json"
ns <- asNamespace("mbreaks")

run <- function(label, y, regs, m, eps1, hetvar = 1, hetdat = 1) {
  df <- data.frame(y = as.numeric(y))
  zn <- NULL
  if (!is.null(regs)) { for (nm in names(regs)) df[[nm]] <- regs[[nm]]; zn <- names(regs) }
  a <- list(y_name = "y", z_name = zn, data = df, m = m, eps1 = eps1, prewhit = 0, robust = 0,
            hetdat = hetdat, hetvar = hetvar)
  tst <- do.call(dotest, a)
  sq <- do.call(doseqtests, a)
  pd <- ns$process_data(y_name = "y", z_name = zn, x_name = NULL, data = df, const = 1)
  bigT <- nrow(pd$y); h <- floor(eps1 * bigT)
  gl <- ns$doglob(pd$y, pd$z, pd$x, m, 1e-5, h, 10, 0, 0, 0, eps1)
  q <- pd$q
  wd <- sapply(1:4, function(sl) { cv <- ns$getcv1(sl, eps1); max(cv[q, 1] * tst$ftest[, 1] / cv[q, 1:m]) })
  nseq <- sapply(1:4, function(sl) {
    r <- suppressMessages(do.call(dosequa, c(a, list(signif = sl))))
    if (r$nbreak == 0) list(n = 0L, dates = integer(0)) else list(n = r$nbreak, dates = as.integer(r$date))
  }, simplify = FALSE)
  list(label = label, y = as.numeric(y), regressors = if (is.null(regs)) NULL else lapply(regs, as.numeric),
       m = m, eps1 = eps1, hetvar = hetvar, hetdat = hetdat, h = h,
       supf = as.numeric(tst$ftest), supf_cv = unname(tst$cv_supF), udmax = max(tst$ftest[seq_len(min(m, 5)), 1]),  # dotest()$UDmax before compile_sbtests() formats it
       udmax_cv = as.numeric(tst$cv_Dmax), wdmax = wd,
       seq_supf = as.numeric(sq$supfl), seq_cv = unname(sq$cv),
       break_positions = lapply(1:m, function(i) as.integer(gl$datevec[1:i, i])),
       n_breaks_sequential = sapply(nseq, `[[`, "n"),
       sequential_break_positions = lapply(nseq, `[[`, "dates"))
}

set.seed(20261101)
n1 <- 120; t1 <- 1:n1
trend_y <- 1 + 0.05 * t1 + ifelse(t1 > 70, 1.5 + 0.04 * (t1 - 70), 0) + rnorm(n1, sd = 0.6)
n2 <- 150; x2 <- rnorm(n2)
reg_y <- 0.5 + ifelse(1:n2 > 50, 1, 0) + ifelse(1:n2 > 100, -1.2, 0) + (1 + ifelse(1:n2 > 100, 0.8, 0)) * x2 +
  rnorm(n2, sd = 0.7)
cases <- list(
  run("nile", as.numeric(Nile), NULL, 5, 0.15),
  run("nile_hetvar0", as.numeric(Nile), NULL, 5, 0.15, hetvar = 0),
  run("nile_hetdat0", as.numeric(Nile), NULL, 3, 0.20, hetdat = 0),
  run("uk_driver_deaths", log(as.numeric(UKDriverDeaths)), NULL, 5, 0.15),
  run("trend_break_at_70", trend_y, list(trend = t1), 5, 0.15),
  run("regressor_breaks_at_50_100", reg_y, list(x = x2), 8, 0.10),
  run("regressor_eps05", reg_y, list(x = x2), 4, 0.05)
)
tabs <- list()
for (i in 1:5) for (nm in c("supFcv", "supF_next_cv", "Dmax_cv")) {
  key <- paste0(nm, i); tabs[[key]] <- unname(as.matrix(get(key, envir = ns)))
}
res <- list(r_version = R.version.string, mbreaks_version = as.character(packageVersion("mbreaks")),
            note = "prewhit = 0, robust = 0; planted breaks: trend_break_at_70 after obs 70; regressor_* after obs 50 and 100",
            cases = cases, tables = tabs)
writeLines(toJSON(res, digits = NA, auto_unbox = TRUE, null = "null", pretty = TRUE), out)
