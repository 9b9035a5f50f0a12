/* Cancel Atlas record page: a copy button for the badge embed code. */
(function () {
	"use strict";
	var button = document.querySelector("button.copy");
	if (!button || !navigator.clipboard) return;
	var field = document.getElementById(button.getAttribute("data-copy"));
	button.hidden = false;
	button.addEventListener("click", function () {
		navigator.clipboard.writeText(field.value).then(function () {
			button.textContent = "Copied";
		}, function () {
			field.select();
		});
	});
})();
